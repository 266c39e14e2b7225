// The analysis on real samples. Where a situation has no real sample (a WMServer service, a policy value,
// a firewall switched off), the test builds the *parsed* value directly and says so; no Windows output is
// made up.
import { describe, expect, it } from 'vitest';
import {
  addressListApplies,
  evaluateTraffic,
  portListApplies,
  ruleApplies,
  type Traffic,
} from './firewall-analysis';
import {
  analyseWindows,
  firewallClientCheck,
  firewallServerCheck,
  firewallStateCheck,
  osCheck,
  osEdition,
  portOwnersCheck,
  unavailableChecks,
  wmpPolicyCheck,
  wmpSharingCheck,
  wmpVersionCheck,
  wmserverCheck,
  wmserverEventsCheck,
  type CommandOutcome,
  type WindowsSnapshot,
} from './checks';
import { parseNetshRules, type FirewallRule } from './netsh-rules';
import { parseNetshProfiles, type FirewallProfileState } from './netsh-profiles';
import { parseNetstat } from './netstat';
import { parseRegQuery, type RegistryValue } from './reg-query';
import { parseSc, type ScResult } from './sc';
import { parseTasklistCsv } from './tasklist';
import { parseWevtutilText } from './wevtutil';
import { fixtureText } from './test-support/fixtures';

const ok = <T>(value: T, command = 'test'): CommandOutcome<T> => ({ command, value, error: null });
const rulesOf = (...names: string[]): FirewallRule[] =>
  names.flatMap((name) => parseNetshRules(fixtureText(name)).rules);
const profilesOf = (name: string): FirewallProfileState[] => parseNetshProfiles(fixtureText(name));
const registryOf = (...names: string[]): RegistryValue[] =>
  names.flatMap((name) => parseRegQuery(fixtureText(name)));

const win10 = registryOf('reg-query-productname-en-win10.txt', 'reg-query-buildnumber-en-win10.txt');
const server2012 = registryOf(
  'reg-query-productname-en-srv2012r2.txt',
  'reg-query-buildnumber-en-srv2012r2.txt',
);
const notInstalled = parseSc(fixtureText('sc-queryex-and-1060-en-1.txt').split('</pre>')[1] ?? '', 1060);

/** A parsed WMServer state; no real `sc query WMServer` output was found to record. */
const wmserverParsed = (
  state: 'running' | 'stopped',
  startType: 'auto' | 'demand' | 'disabled',
): ScResult => ({
  services: [
    {
      name: 'WMServer',
      displayName: 'Windows Media Services',
      state,
      stateCode: state === 'running' ? 4 : 1,
      startType,
      delayedStart: false,
      binaryPath: null,
      dependencies: ['RPCSS'],
      startName: null,
      pid: null,
      win32ExitCode: 0,
      fields: [],
    },
  ],
  errorCode: null,
  notInstalled: false,
});

describe('rule matching', () => {
  const out1755: Traffic = { protocol: 'TCP', port: 1755, direction: 'out', program: 'wmplayer.exe' };

  it('reads port lists with ranges and keywords', () => {
    expect(portListApplies(['80', '64831', '6666'], 80)).toBe('applies');
    expect(portListApplies(['1750-1760'], 1755)).toBe('applies');
    expect(portListApplies(['5985'], 1755)).toBe('no');
    expect(portListApplies(['RPC'], 1755)).toBe('no');
    expect(portListApplies([], 1755)).toBe('applies');
    expect(portListApplies(['Any'], 1755)).toBe('applies');
    expect(portListApplies(['strange'], 1755)).toBe('may-apply');
  });

  it('reads address lists as printed by netsh', () => {
    const vcl = ['152.14.53.0/26', '10.10.1.2-10.10.2.22'];
    expect(addressListApplies(vcl, '152.14.53.63')).toBe('applies');
    expect(addressListApplies(vcl, '152.14.53.64')).toBe('no');
    expect(addressListApplies(vcl, '10.10.1.200')).toBe('applies');
    expect(addressListApplies(vcl, null)).toBe('may-apply');
    expect(addressListApplies(['LocalSubnet'], '10.0.0.1')).toBe('may-apply');
    expect(addressListApplies(['Any'], null)).toBe('applies');
  });

  it('treats a non-verbose program-less block rule as possibly aimed at another program', () => {
    const [edge] = rulesOf('netsh-transcript-show-set-en-2.txt');
    const match = edge && ruleApplies(edge, out1755, 'public');
    expect(match?.applicability).toBe('may-apply');
    expect(match?.doubts).toContain('its program is not shown without "verbose"');
  });

  it('keeps the real localsend block rule uncertain: it only matches some local addresses', () => {
    const [localsend] = rulesOf('netsh-showrule-en-4.txt');
    const match = localsend && ruleApplies(localsend, out1755, 'domain');
    expect(match?.applicability).toBe('may-apply');
    expect(match?.doubts.join(' ')).toMatch(/local addresses/);
  });

  it('ignores disabled rules, other directions, other programs and other profiles', () => {
    const [disabled] = rulesOf('netsh-transcript-set-show-en-1.txt');
    expect(disabled && ruleApplies(disabled, { ...out1755, direction: 'in' }, 'public')).toBeNull();
    const [node] = rulesOf('netsh-showrule-verbose-en-3.txt');
    const nodeTraffic: Traffic = { protocol: 'TCP', port: 1755, direction: 'in', program: 'wmplayer.exe' };
    expect(node && ruleApplies(node, nodeTraffic, 'private')).toBeNull();
    expect(node && ruleApplies(node, { ...nodeTraffic, program: 'node.exe' }, 'private')?.applicability).toBe(
      'applies',
    );
    expect(node && ruleApplies(node, { ...nodeTraffic, program: 'node.exe' }, 'public')).toBeNull();
    expect(node && ruleApplies(node, out1755, 'private')).toBeNull();
  });

  it('lets a block rule beat an allow rule', () => {
    const nonVerbose = rulesOf('netsh-showrule-en-1.txt')[1] as FirewallRule;
    const in80: Traffic = { protocol: 'TCP', port: 80, direction: 'in', program: null };
    const profiles = profilesOf('netsh-showprofile-all-en-chaps-srv2019-cmd.txt');
    // Without `verbose` netsh hides the Program condition: the allow rule only possibly applies.
    expect(evaluateTraffic([nonVerbose], in80, profiles).map((v) => v.outcome)).toEqual([
      'maybe-allowed',
      'maybe-allowed',
      'maybe-allowed',
    ]);
    // The same real rule as `verbose` would show it (no Program line), and a copy turned into Block
    // (parsed values, not Windows output).
    const web: FirewallRule = { ...nonVerbose, detailed: true };
    const blockingWeb: FirewallRule = { ...web, name: 'web (block)', action: 'block' };
    expect(evaluateTraffic([web], in80, profiles).map((v) => v.outcome)).toEqual([
      'allowed',
      'allowed',
      'allowed',
    ]);
    const both = evaluateTraffic([web, blockingWeb], in80, profiles);
    expect(both.map((v) => v.outcome)).toEqual(['blocked', 'blocked', 'blocked']);
    expect(both[0]?.blocking.map((m) => m.rule.name)).toEqual(['web (block)']);
    expect(both[0]?.allowing.map((m) => m.rule.name)).toEqual(['web']);
  });

  it('uses the default policy when no rule matches, and nothing is filtered when the firewall is off', () => {
    const in1755: Traffic = { protocol: 'TCP', port: 1755, direction: 'in', program: null };
    const profiles = profilesOf('netsh-showprofile-all-en-chaps-srv2019-cmd.txt');
    const rules = rulesOf('netsh-showrule-en-1.txt');
    expect(evaluateTraffic(rules, in1755, profiles).map((v) => v.outcome)).toEqual([
      'default-block',
      'default-block',
      'default-block',
    ]);
    expect(evaluateTraffic(rules, { ...in1755, direction: 'out' }, profiles)[0]?.outcome).toBe(
      'default-allow',
    );
    // The parsed state of a profile switched off.
    const off = profiles.map((profile) => ({ ...profile, state: 'off' as const }));
    expect(evaluateTraffic(rules, in1755, off)[2]?.outcome).toBe('firewall-off');
  });
});

describe('Windows checks on real samples', () => {
  it('reports every check as "not available" outside Windows, never as an error', () => {
    const checks = unavailableChecks();
    expect(checks.length).toBe(11);
    for (const check of checks) {
      expect(check.status).toBe('skip');
      expect(check.summary).toMatch(/not available on this system/i);
      expect(check.id).toMatch(/^windows\./);
    }
  });

  it('tells a client edition from a server edition', () => {
    expect(osEdition(win10)).toMatchObject({
      server: false,
      build: 17134,
      displayName: 'Windows 10 Enterprise',
    });
    expect(osEdition(server2012)).toMatchObject({ server: true, build: 9600 });
    const client = osCheck({ os: ok(win10) });
    expect(client.status).toBe('pass');
    expect(client.summary).toMatch(/Windows 10 Enterprise \(build 17134\) is a client edition/);
    expect(client.summary).toMatch(/cannot run Windows Media Services/);
    expect(osCheck({ os: ok(server2012) }).summary).toMatch(
      /Windows Server 2012 R2 Standard .* Server edition/,
    );
  });

  it('names Windows 11 by its build, as ProductName still says Windows 10', () => {
    // Parsed registry values of a Windows 11 machine (ProductName is not updated by Microsoft).
    const values: RegistryValue[] = [
      {
        key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
        name: 'ProductName',
        type: 'REG_SZ',
        data: 'Windows 10 Pro',
      },
      {
        key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
        name: 'CurrentBuildNumber',
        type: 'REG_SZ',
        data: '22631',
      },
    ];
    expect(osEdition(values).displayName).toBe('Windows 11 Pro');
  });

  it('fails the client check when outbound connections are blocked by default (Hackback, Public profile)', () => {
    const snapshot: WindowsSnapshot = {
      rules: ok(rulesOf('netsh-showrule-en-1.txt')),
      profiles: ok(profilesOf('netsh-showprofile-current-en-1.txt')),
      activeProfiles: ok(['public']),
    };
    const result = firewallClientCheck(snapshot, { streamPort: 8080 });
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('TCP 1755 out: blocked (no allow rule, default policy) in Public');
    expect(result.summary).toContain('TCP 8080 out');
    const state = firewallStateCheck(snapshot);
    expect(state.status).toBe('warn');
    expect(state.summary).toMatch(
      /Public \(active\): on, blocks incoming .*blocks outgoing connections by default/,
    );
  });

  it('passes the client check when only inbound allow rules exist and outbound is allowed', () => {
    const result = firewallClientCheck({
      rules: ok(rulesOf('netsh-showrule-verbose-en-3.txt', 'netsh-showrule-en-chaps-srv2019-cmd.txt')),
      profiles: ok(profilesOf('netsh-showprofile-all-en-chaps-win10-cmd.txt')),
    });
    expect(result.status).toBe('pass');
    expect(result.summary).toContain(
      'TCP 554 out: allowed (no rule, default policy) in Domain/Private/Public',
    );
  });

  it('warns when a real program-less block rule (non-verbose output) may cover Windows Media Player', () => {
    const result = firewallClientCheck({
      rules: ok(rulesOf('netsh-transcript-show-set-en-2.txt').slice(0, 1)),
      profiles: ok(profilesOf('netsh-showprofile-all-en-chaps-win10-cmd.txt')),
    });
    expect(result.status).toBe('warn');
    expect(result.summary).toContain('possibly blocked by "Disable Edge Updates"');
    expect(result.evidence).toContain('"Disable Edge Updates" out block enabled [domain,private,public] Any');
  });

  it('fails the server check when TCP 1755 has no inbound allow rule, and skips it without WMS', () => {
    const rules = ok(rulesOf('netsh-showrule-en-1.txt'));
    const profiles = ok(profilesOf('netsh-showprofile-all-en-chaps-srv2019-cmd.txt'));
    const server = firewallServerCheck({
      rules,
      profiles,
      wmserver: ok({ query: wmserverParsed('running', 'auto'), config: null }),
    });
    expect(server.status).toBe('fail');
    expect(server.summary).toContain('add the inbound "WMS Streaming (1755)" rule');
    expect(server.summary).toContain('TCP 80 in: possibly allowed by "web" in Domain/Private/Public');
    const client = firewallServerCheck({
      rules,
      profiles,
      wmserver: ok({ query: notInstalled, config: null }),
    });
    expect(client.status).toBe('skip');
  });

  it('reports the Windows Media Services service state', () => {
    expect(
      wmserverCheck({ os: ok(win10), wmserver: ok({ query: notInstalled, config: null }) }),
    ).toMatchObject({
      status: 'skip',
    });
    expect(
      wmserverCheck({ os: ok(server2012), wmserver: ok({ query: notInstalled, config: null }) }).status,
    ).toBe('warn');
    const stopped = wmserverCheck({
      wmserver: ok({ query: wmserverParsed('stopped', 'auto'), config: null }),
    });
    expect(stopped.status).toBe('fail');
    expect(stopped.summary).toMatch(/stopped, start type auto, depends on RPCSS/);
    const manual = wmserverCheck({
      wmserver: ok({ query: wmserverParsed('running', 'demand'), config: null }),
    });
    expect(manual.status).toBe('warn');
    expect(
      wmserverCheck({ wmserver: ok({ query: wmserverParsed('running', 'auto'), config: null }) }).status,
    ).toBe('pass');
  });

  it('names who listens on 80, 554 and 1755', () => {
    const srv2019 = portOwnersCheck({
      sockets: ok(parseNetstat(fixtureText('netstat-ano-en-chaps-srv2019-cmd.txt'))),
    });
    expect(srv2019.status).toBe('pass');
    expect(srv2019.summary).toContain('80: System (PID 4, TCP); 554: nobody; 1755: nobody');
    expect(srv2019.summary).toContain('HTTP.sys');
    const optimum = portOwnersCheck({
      sockets: ok(parseNetstat(fixtureText('netstat-ano-listening-tcp-en-srv2012r2.txt'))),
      processes: ok(parseTasklistCsv(fixtureText('tasklist-csv-en-1.txt'))),
      wmserver: ok({ query: wmserverParsed('running', 'auto'), config: null }),
    });
    expect(optimum.status).toBe('warn');
    expect(optimum.summary).toContain('80: ? (PID 2776, TCP)');
    expect(optimum.summary).toContain('nobody listens on 1755');
  });

  it('reads the Windows Media Player protocol policy', () => {
    const none = wmpPolicyCheck({
      wmpPolicy: ok(parseRegQuery(fixtureText('reg-query-notfound-en-srv2012r2.txt'))),
    });
    expect(none.status).toBe('pass');
    // Parsed policy values as `reg query … /s` lists them (no real capture of this policy was found).
    const key = 'HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\WindowsMediaPlayer\\Protocols';
    const value = (name: string, data: string): RegistryValue => ({ key, name, type: 'REG_DWORD', data });
    const off = wmpPolicyCheck({ wmpPolicy: ok([value('WindowsMediaStreamingProtocols', '0x0')]) });
    expect(off.status).toBe('fail');
    expect(off.summary).toMatch(/\(HKCU\) switched off MMS and RTSP/);
    const httpOnly = wmpPolicyCheck({
      wmpPolicy: ok([
        value('WindowsMediaStreamingProtocols', '0x1'),
        value('HTTP', '0x1'),
        value('TCP', '0x0'),
      ]),
    });
    expect(httpOnly.status).toBe('warn');
    expect(httpOnly.summary).toContain(
      'limits Windows Media Player to HTTP; not allowed: TCP, UDP, Multicast',
    );
    const nothing = wmpPolicyCheck({ wmpPolicy: ok([value('WindowsMediaStreamingProtocols', '0x1')]) });
    expect(nothing.status).toBe('fail');
  });

  it('reports a missing Windows Media Player, and a missing rule group as not applicable', () => {
    expect(
      wmpVersionCheck({ wmpVersion: ok(parseRegQuery(fixtureText('reg-query-notfound-en-srv2012r2.txt'))) })
        .status,
    ).toBe('warn');
    expect(wmpSharingCheck({ rules: ok(rulesOf('netsh-showrule-en-1.txt')) }).status).toBe('skip');
  });

  it('lists the latest service events, and warns on errors', () => {
    const installed = ok({ query: wmserverParsed('running', 'auto'), config: null });
    // Real Application-log events (not from WMServer: none was found) to check the summary shape.
    const events = parseWevtutilText(fixtureText('wevtutil-qe-text-en-1.txt'));
    const quiet = wmserverEventsCheck({ wmserver: installed, wmserverEvents: ok(events) });
    expect(quiet.status).toBe('pass');
    expect(quiet.evidence?.split('\n')[2]).toBe(
      'date ?  ID 9027  Information  The Desktop Window Manager has registered the session port.',
    );
    const withError = events.map((event, i) => (i === 1 ? { ...event, level: 'Error' } : event));
    const loud = wmserverEventsCheck({ wmserver: installed, wmserverEvents: ok(withError) });
    expect(loud.status).toBe('warn');
    expect(loud.summary).toContain('1 of the last 3');
    expect(wmserverEventsCheck({ wmserver: ok({ query: notInstalled, config: null }) }).status).toBe('skip');
    expect(wmserverEventsCheck({ wmserver: installed, wmserverEvents: ok([]) }).status).toBe('pass');
  });

  it('turns missing or failed commands into skip and error, never a crash', () => {
    const checks = analyseWindows({
      rules: { command: 'netsh …', value: null, error: 'exit code 1 and no rule block' },
    });
    expect(checks).toHaveLength(11);
    expect(checks.find((c) => c.id === 'windows.firewall-client')?.status).toBe('error');
    expect(checks.find((c) => c.id === 'windows.os')?.status).toBe('skip');
    for (const c of checks) expect(typeof c.command).toBe('string');
  });
});
