// The local checks end to end through the replaying runner, with recorded real outputs keyed by the exact
// argument arrays the code runs.
import { describe, expect, it } from 'vitest';
import { collectSnapshot, fillFromPowerShell, READ_ONLY_COMMANDS, runLocalChecks } from './local';
import { createReplayRunner, type Recording } from './replay-runner';
import { parsePowerShellRules } from './powershell-firewall';
import type { FirewallRule } from './netsh-rules';
import { fixtureBytes, fixtureText } from './test-support/fixtures';

const c = READ_ONLY_COMMANDS;
const notFound = fixtureBytes('reg-query-notfound-en-srv2012r2.txt');

/** Real outputs; Hackback (Server 2019) for the firewall, CHAPS Server 2019 for profiles and sockets. */
function serverRecordings(): Recording[] {
  const scFailure = fixtureText('sc-queryex-and-1060-en-1.txt');
  return [
    { ...c.productName, exitCode: 0, stdout: fixtureBytes('reg-query-productname-en-srv2012r2.txt') },
    { ...c.buildNumber, exitCode: 0, stdout: fixtureBytes('reg-query-buildnumber-en-srv2012r2.txt') },
    // No capture of this value was found: served as "not found" (reg.exe writes that to stderr, exit 1).
    { ...c.installationType, exitCode: 1, stdout: '', stderr: notFound },
    { ...c.rulesIn, exitCode: 0, stdout: fixtureBytes('netsh-showrule-en-1.txt') },
    { ...c.rulesOut, exitCode: 1, stdout: fixtureBytes('netsh-msg-norules-de-1.txt') },
    { ...c.allProfiles, exitCode: 0, stdout: fixtureBytes('netsh-showprofile-all-en-chaps-srv2019-cmd.txt') },
    { ...c.currentProfile, exitCode: 0, stdout: fixtureBytes('netsh-showprofile-current-en-1.txt') },
    { ...c.wmserverQuery, exitCode: 1060, stdout: scFailure.slice(scFailure.indexOf('[SC]')) },
    { ...c.netstat, exitCode: 0, stdout: fixtureBytes('netstat-ano-en-chaps-srv2019-cmd.txt') },
    { ...c.tasklist, exitCode: 0, stdout: fixtureBytes('tasklist-csv-en-1.txt') },
    { ...c.policyMachine, exitCode: 1, stdout: '', stderr: notFound },
    { ...c.policyUser, exitCode: 1, stdout: '', stderr: notFound },
    { ...c.wmpVersion, exitCode: 1, stdout: '', stderr: notFound },
  ];
}

describe('local checks', () => {
  it('runs nothing and reports every check as not available outside Windows', async () => {
    const runner = createReplayRunner([]);
    const checks = await runLocalChecks(runner, {}, 'linux');
    expect(runner.calls).toEqual([]);
    expect(
      checks.every((check) => check.status === 'skip' && /not available on this system/i.test(check.summary)),
    ).toBe(true);
  });

  it('runs exactly the read-only commands and builds the checks from their real outputs', async () => {
    const runner = createReplayRunner(serverRecordings());
    const checks = await runLocalChecks(runner, {}, 'win32');
    expect(runner.calls.map((call) => [call.file, ...call.args])).toEqual([
      ['reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'],
      ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'ProductName'],
      ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentBuildNumber'],
      ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'InstallationType'],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose'],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=out', 'verbose'],
      ['netsh', 'advfirewall', 'show', 'allprofiles'],
      ['netsh', 'advfirewall', 'show', 'currentprofile'],
      ['sc', 'query', 'WMServer'],
      ['netstat', '-ano'],
      ['tasklist', '/FO', 'CSV', '/NH'],
      ['reg', 'query', 'HKLM\\Software\\Policies\\Microsoft\\WindowsMediaPlayer', '/s'],
      ['reg', 'query', 'HKCU\\Software\\Policies\\Microsoft\\WindowsMediaPlayer', '/s'],
      [
        'reg',
        'query',
        'HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\{6BF52A52-394A-11d3-B153-00C04F79FAA6}',
      ],
    ]);
    // Only the code page query has no recording: its failure just means "decode with cp437".
    expect(runner.unknown.map((call) => call.args.at(-1))).toEqual(['OEMCP']);
    const status = Object.fromEntries(checks.map((check) => [check.id, check.status]));
    expect(status).toEqual({
      'windows.os': 'pass',
      'windows.firewall-state': 'pass',
      'windows.firewall-client': 'pass',
      'windows.firewall-client-udp': 'warn',
      'windows.firewall-server': 'skip',
      'windows.wmp-network-sharing': 'skip',
      'windows.wmp-policy': 'pass',
      'windows.wmp-version': 'warn',
      'windows.wmserver': 'warn',
      'windows.port-owners': 'pass',
      'windows.wmserver-events': 'skip',
    });
    const byId = (id: string) => checks.find((check) => check.id === id);
    expect(byId('windows.os')?.summary).toMatch(/Windows Server 2012 R2 Standard \(build 9600\)/);
    expect(byId('windows.firewall-state')?.summary).toMatch(/^Domain: on.*Public \(active\): on/);
    expect(byId('windows.wmserver')?.summary).toMatch(/not installed on this server/);
    expect(byId('windows.port-owners')?.summary).toContain('80: System (PID 4, TCP)');
  });

  it('treats "no rules match" as an empty list only when netsh could read the firewall', async () => {
    const recordings = serverRecordings().map((recording) =>
      recording.args.includes('allprofiles')
        ? { ...recording, exitCode: 1, stdout: fixtureBytes('netsh-msg-service-error-en-1.txt') }
        : recording,
    );
    const snapshot = await collectSnapshot(createReplayRunner(recordings));
    expect(snapshot.rules?.value).toBeNull();
    expect(snapshot.rules?.error).toMatch(/exit code 1/);
    expect(snapshot.profiles?.error).toMatch(
      /An error occurred while attempting to contact the {2}Windows Firewall/,
    );
  });

  it('fills words netsh could not tell from PowerShell numbers', () => {
    const fromPowerShell = parsePowerShellRules(fixtureText('powershell-firewall-rules-json-en-1.txt'));
    const unknownWords: FirewallRule = {
      ...(fromPowerShell[1] as FirewallRule),
      enabled: null,
      action: null,
      direction: 'in',
    };
    const [filled] = fillFromPowerShell([unknownWords], fromPowerShell);
    expect(filled).toMatchObject({ name: 'OpenSSH Server (sshd)', enabled: true, action: 'allow' });
  });

  it('asks PowerShell only when netsh words were not understood', async () => {
    const transformed = fixtureText('netsh-showrule-de-1.txt').replace(/Zulassen/g, 'Consenti');
    const recordings = serverRecordings().map((recording) =>
      recording.args.includes('dir=in') ? { ...recording, stdout: transformed } : recording,
    );
    const runner = createReplayRunner(recordings);
    await collectSnapshot(runner);
    expect(runner.unknown.map((call) => call.file)).toEqual(['reg', 'powershell']);
    const script = Buffer.from(c.firewallJson.args.at(-1) ?? '', 'base64').toString('utf16le');
    expect(script).toContain('Get-NetFirewallPortFilter');
    expect(script).toContain('ConvertTo-Json -Depth 4');
  });
});
