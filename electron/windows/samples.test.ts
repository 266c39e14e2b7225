// Every real sample in fixtures/ parsed, with its expected values written out by reading the sample.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNetshRules, type FirewallRule } from './netsh-rules';
import { parseNetshProfiles } from './netsh-profiles';
import { parseSc } from './sc';
import { listenersOnPort, parseNetstat } from './netstat';
import { parseTasklistCsv } from './tasklist';
import { dwordValue, parseRegQuery, registryValue } from './reg-query';
import { parsePowerShellProfiles, parsePowerShellRules } from './powershell-firewall';
import { parseWevtutilText } from './wevtutil';
import { decodeOutput } from './decode';
import { inspectBytes } from './inspect';
import {
  fixtureBytes,
  fixtureNames,
  fixtureSource,
  fixtureText,
  japaneseChatLogAsLines,
} from './test-support/fixtures';
import { LANGUAGE_SAMPLE_CHECKS } from './test-support/language-samples';

const rules = (name: string): FirewallRule[] => parseNetshRules(fixtureText(name)).rules;

/** The fields most checks use, for compact expectations. */
const brief = (rule: FirewallRule | undefined) =>
  rule && {
    name: rule.name,
    enabled: rule.enabled,
    direction: rule.direction,
    profiles: rule.profiles,
    protocol: rule.protocol,
    localPorts: rule.localPorts,
    remotePorts: rule.remotePorts,
    program: rule.program,
    action: rule.action,
  };

const winrm = (enabled: boolean, profiles: string[], remote: string) => ({
  name: 'Windows Remote Management (HTTP-In)',
  enabled,
  direction: 'in',
  profiles,
  protocol: 'TCP',
  localPorts: ['5985'],
  remotePorts: ['Any'],
  program: null,
  action: 'allow',
  remote,
});

const checks: Record<string, () => void> = {
  'netsh-msg-deleted-en-1.txt': () => expect(rules('netsh-msg-deleted-en-1.txt')).toEqual([]),
  'netsh-msg-elevation-en-1.txt': () => expect(rules('netsh-msg-elevation-en-1.txt')).toEqual([]),
  'netsh-msg-elevation-ja-1.txt': () => {
    expect(fixtureText('netsh-msg-elevation-ja-1.txt')).toContain('管理者として実行してください');
    expect(rules('netsh-msg-elevation-ja-1.txt')).toEqual([]);
  },
  'netsh-msg-norules-de-1.txt': () => {
    const result = parseNetshRules(fixtureText('netsh-msg-norules-de-1.txt'));
    expect(result).toEqual({ rules: [], unknownLabels: [], unknownWords: [] });
  },
  'netsh-msg-service-error-en-1.txt': () => {
    expect(rules('netsh-msg-service-error-en-1.txt')).toEqual([]);
    expect(parseNetshProfiles(fixtureText('netsh-msg-service-error-en-1.txt'))).toEqual([]);
  },
  'netsh-msg-updated-en-1.txt': () => expect(rules('netsh-msg-updated-en-1.txt')).toEqual([]),

  'netsh-showrule-de-1.txt': () => {
    const found = rules('netsh-showrule-de-1.txt');
    expect(found.map(brief)).toEqual([
      {
        name: 'VagrantWinNFSd-1.4.0',
        enabled: true,
        direction: 'out',
        profiles: ['domain', 'private', 'public'],
        protocol: 'Any',
        localPorts: [],
        remotePorts: [],
        program: null,
        action: 'allow',
      },
      {
        name: 'VagrantWinNFSd-1.4.0',
        enabled: true,
        direction: 'in',
        profiles: ['domain', 'private', 'public'],
        protocol: 'Any',
        localPorts: [],
        remotePorts: [],
        program: null,
        action: 'allow',
      },
    ]);
    expect(found[0]?.fields.map((field) => field.label)).toEqual([
      'Regelname',
      'Aktiviert',
      'Richtung',
      'Profile',
      'Gruppierung',
      'Lokales IP',
      'Remote-IP',
      'Protokoll',
      'Edgeausnahme',
      'Aktion',
    ]);
    expect(found[0]?.fields[3]).toEqual({ label: 'Profile', value: 'Domäne,Privat,Öffentlich' });
    expect(found[0]?.grouping).toBeNull();
  },
  'netsh-showrule-en-1.txt': () => {
    const [ping, web] = rules('netsh-showrule-en-1.txt');
    expect(brief(ping)).toMatchObject({ name: 'ping', protocol: 'ICMPv4', localPorts: [], action: 'allow' });
    expect(ping?.icmpTypes).toEqual([{ type: '8', code: 'Any' }]);
    expect(ping?.fields.find((field) => field.label === 'Grouping')).toEqual({
      label: 'Grouping',
      value: '',
    });
    expect(brief(web)).toEqual({
      name: 'web',
      enabled: true,
      direction: 'in',
      profiles: ['domain', 'private', 'public'],
      protocol: 'TCP',
      localPorts: ['80', '64831', '6666'],
      remotePorts: ['Any'],
      program: null,
      action: 'allow',
    });
  },
  'netsh-showrule-en-2.txt': () => {
    const found = rules('netsh-showrule-en-2.txt');
    expect(found.map((rule) => rule.name)).toEqual([
      'VCL: allow RDP port 3389',
      'VCL: allow ping to/from any address',
    ]);
    expect(found[0]?.remoteAddresses).toEqual(['152.14.53.0/26', '10.10.1.2-10.10.2.22']);
    expect(found[0]?.localPorts).toEqual(['3389']);
    expect(found[1]?.protocol).toBe('ICMPv4');
    expect(found[1]?.icmpTypes).toEqual([{ type: '8', code: 'Any' }]);
  },
  'netsh-showrule-en-4.txt': () => {
    const [outRule, inRule] = rules('netsh-showrule-en-4.txt');
    expect(brief(outRule)).toMatchObject({
      name: 'localsend',
      direction: 'out',
      protocol: 'Any',
      action: 'block',
    });
    expect(outRule?.localPorts).toEqual([]);
    expect(outRule?.localAddresses).toEqual(['0.0.0.0-192.167.255.255', '192.169.0.0-255.255.255.255']);
    expect(brief(inRule)).toMatchObject({ name: 'LocalSend', protocol: 'Any', localPorts: ['53317'] });
    expect(inRule?.edgeTraversal).toBe('Defer to application');
    expect(inRule?.remoteAddresses).toEqual(['192.168.0.0/16']);
  },
  'netsh-showrule-en-chaps-srv2016-cmd.txt': () =>
    expectWinRm('netsh-showrule-en-chaps-srv2016-cmd.txt', true),
  'netsh-showrule-en-chaps-srv2019-cmd.txt': () =>
    expectWinRm('netsh-showrule-en-chaps-srv2019-cmd.txt', true),
  'netsh-showrule-en-chaps-srv2022-cmd.txt': () =>
    expectWinRm('netsh-showrule-en-chaps-srv2022-cmd.txt', true),
  'netsh-showrule-en-chaps-win10-cmd.txt': () => expectWinRm('netsh-showrule-en-chaps-win10-cmd.txt', false),
  'netsh-showrule-en-chaps-win11-cmd.txt': () => {
    // Same two rules as Windows 10, printed in the opposite order.
    const found = rules('netsh-showrule-en-chaps-win11-cmd.txt');
    expect(found.map((rule) => ({ ...brief(rule), remote: rule.remoteAddresses[0] }))).toEqual([
      winrm(false, ['domain', 'private'], 'Any'),
      winrm(false, ['public'], 'LocalSubnet'),
    ]);
  },
  'netsh-showrule-en-chaps-win7-cmd.txt': () => {
    const found = rules('netsh-showrule-en-chaps-win7-cmd.txt');
    expect(found.map((rule) => ({ ...brief(rule), remote: rule.remoteAddresses[0] }))).toEqual([
      winrm(false, ['domain'], 'Any'),
      winrm(false, ['private', 'public'], 'LocalSubnet'),
    ]);
  },
  'netsh-showrule-fr-1.txt': () => {
    const [rule] = rules('netsh-showrule-fr-1.txt');
    expect(brief(rule)).toEqual({
      name: 'ICMP Allow incoming V4 echo request',
      enabled: true,
      // French netsh prints "Actif" for inbound.
      direction: 'in',
      profiles: ['domain', 'private', 'public'],
      protocol: 'ICMPv4',
      localPorts: [],
      remotePorts: [],
      program: null,
      action: 'allow',
    });
    expect(rule?.icmpTypes).toEqual([{ type: '8', code: 'Any' }]);
    expect(rule?.fields[0]).toEqual({
      label: 'Nom de la règle',
      value: 'ICMP Allow incoming V4 echo request',
    });
    expect(rule?.edgeTraversal).toBe('Non');
  },
  'netsh-showrule-ja-1.txt': () => {
    const result = parseNetshRules(japaneseChatLogAsLines(fixtureText('netsh-showrule-ja-1.txt')));
    expect(result.unknownLabels).toEqual([]);
    expect(result.rules.map(brief)).toEqual([
      {
        name: 'WSL SSH 2222',
        enabled: true,
        direction: 'in',
        profiles: ['domain', 'private', 'public'],
        protocol: 'TCP',
        localPorts: ['2222'],
        remotePorts: ['Any'],
        program: null,
        action: 'allow',
      },
    ]);
    expect(result.rules[0]?.fields.map((field) => field.label)).toContain('ローカル ポート');
  },
  'netsh-showrule-verbose-de-1.txt': () => {
    const [rule] = rules('netsh-showrule-verbose-de-1.txt');
    expect(brief(rule)).toEqual({
      name: 'DayZ',
      enabled: true,
      direction: 'out',
      profiles: ['domain', 'private', 'public'],
      protocol: 'UDP',
      localPorts: ['Any'],
      remotePorts: ['2302'],
      program: 'C:\\Windows\\system32\\svchost.exe',
      action: 'allow',
    });
    expect(rule?.description).toBe('CUT');
    expect(rule?.fields).toHaveLength(18);
  },
  'netsh-showrule-verbose-en-1.txt': () => {
    const [rule] = rules('netsh-showrule-verbose-en-1.txt');
    expect(brief(rule)).toEqual({
      name: 'Unity 2022.1.0b10 Live Capture',
      enabled: true,
      direction: 'in',
      profiles: ['domain', 'private'],
      protocol: 'Any',
      localPorts: [],
      remotePorts: [],
      program: 'C:\\Program Files\\Unity\\2022.1.0b10\\Editor\\Unity.exe',
      action: 'allow',
    });
    expect(rule?.fields.at(-2)).toEqual({ label: 'Rule source', value: 'Local Setting' });
  },
  'netsh-showrule-verbose-en-3.txt': () => {
    const found = rules('netsh-showrule-verbose-en-3.txt');
    expect(found).toHaveLength(2);
    expect(found.map((rule) => rule.profiles)).toEqual([['private'], ['public']]);
    for (const rule of found) {
      expect(rule.name).toBe('Node.js JavaScript Runtime');
      expect(rule.description).toBe('Node.js JavaScript Runtime');
      expect(rule.program).toBe('C:\\program files\\nodejs\\node.exe');
      expect(rule.localPorts).toEqual(['Any']);
      expect(rule.edgeTraversal).toBe('Defer to user');
    }
  },
  'netsh-transcript-add-show-delete-set-en-1.txt': () => {
    const found = rules('netsh-transcript-add-show-delete-set-en-1.txt');
    expect(found.map(brief)).toEqual([
      {
        name: 'Test',
        enabled: true,
        direction: 'in',
        profiles: ['domain', 'private'],
        protocol: 'Any',
        localPorts: [],
        remotePorts: [],
        program: null,
        action: 'allow',
      },
    ]);
    // The transcript goes on after a blank line with `delete rule …`; none of it belongs to the rule.
    expect(found[0]?.fields).toHaveLength(10);
  },
  'netsh-transcript-set-show-en-1.txt': () => {
    expect(rules('netsh-transcript-set-show-en-1.txt').map(brief)).toEqual([
      {
        name: 'WeChat',
        enabled: false,
        direction: 'in',
        profiles: ['domain', 'private', 'public'],
        protocol: 'Any',
        localPorts: [],
        remotePorts: [],
        program: null,
        action: 'allow',
      },
    ]);
  },
  'netsh-transcript-show-set-en-2.txt': () => {
    const found = rules('netsh-transcript-show-set-en-2.txt');
    expect(found).toHaveLength(2);
    for (const rule of found) {
      expect(brief(rule)).toMatchObject({ name: 'Disable Edge Updates', direction: 'out', action: 'block' });
    }
  },

  'netsh-showprofile-all-en-chaps-srv2016-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-srv2016-cmd.txt', 'Disable'),
  'netsh-showprofile-all-en-chaps-srv2019-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-srv2019-cmd.txt', 'Disable'),
  'netsh-showprofile-all-en-chaps-srv2022-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-srv2022-cmd.txt', 'Disable'),
  'netsh-showprofile-all-en-chaps-win10-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-win10-cmd.txt', 'Enable'),
  'netsh-showprofile-all-en-chaps-win11-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-win11-cmd.txt', 'Enable'),
  'netsh-showprofile-all-en-chaps-win7-cmd.txt': () =>
    expectAllProfiles('netsh-showprofile-all-en-chaps-win7-cmd.txt', 'Enable'),
  'netsh-showprofile-all-en-chaps-win7-psv2-filtered.txt': () => {
    const profiles = parseNetshProfiles(fixtureText('netsh-showprofile-all-en-chaps-win7-psv2-filtered.txt'));
    expect(profiles.map((p) => [p.profile, p.state, p.defaultInbound, p.settings])).toEqual([
      ['domain', 'on', null, [{ key: 'State', value: 'ON' }]],
      ['private', 'on', null, [{ key: 'State', value: 'ON' }]],
      ['public', 'on', null, [{ key: 'State', value: 'ON' }]],
    ]);
  },
  'netsh-showprofile-current-en-1.txt': () => {
    const [profile, ...rest] = parseNetshProfiles(fixtureText('netsh-showprofile-current-en-1.txt'));
    expect(rest).toEqual([]);
    expect(profile).toMatchObject({
      profile: 'public',
      header: 'Public Profile Settings',
      state: 'on',
      defaultInbound: 'block',
      defaultOutbound: 'block',
    });
    expect(profile?.settings).toContainEqual({ key: 'RemoteManagement', value: 'Not Configured' });
  },

  'netstat-ano-en-chaps-srv2016-cmd.txt': () =>
    expectNetstat('netstat-ano-en-chaps-srv2016-cmd.txt', { rows: 54, udp: 19, listening: 42, port80: [] }),
  'netstat-ano-en-chaps-srv2019-cmd.txt': () =>
    // HTTP.sys (PID 4, "System") holds port 80 on this server, IPv4 and IPv6.
    expectNetstat('netstat-ano-en-chaps-srv2019-cmd.txt', { rows: 53, udp: 15, listening: 42, port80: [4] }),
  'netstat-ano-en-chaps-srv2022-cmd.txt': () =>
    expectNetstat('netstat-ano-en-chaps-srv2022-cmd.txt', { rows: 45, udp: 17, listening: 42, port80: [] }),
  'netstat-ano-en-chaps-win10-cmd.txt': () =>
    expectNetstat('netstat-ano-en-chaps-win10-cmd.txt', { rows: 54, udp: 28, listening: 52, port80: [] }),
  'netstat-ano-en-chaps-win11-cmd.txt': () =>
    expectNetstat('netstat-ano-en-chaps-win11-cmd.txt', { rows: 54, udp: 28, listening: 52, port80: [] }),
  'netstat-ano-en-chaps-win7-cmd.txt': () => {
    expectNetstat('netstat-ano-en-chaps-win7-cmd.txt', { rows: 23, udp: 5, listening: 22, port80: [] });
    const last = parseNetstat(fixtureText('netstat-ano-en-chaps-win7-cmd.txt')).at(-1);
    expect(last).toEqual({
      protocol: 'UDP',
      localAddress: 'fe80::b1ca:1a4f:d3f9:e073%11',
      localPort: 546,
      foreignAddress: '*:*',
      state: null,
      pid: 784,
      listening: true,
    });
  },
  'netstat-ano-en-chaps-win7-psv2.txt': () => {
    expectNetstat('netstat-ano-en-chaps-win7-psv2.txt', { rows: 26, udp: 4, listening: 21, port80: [] });
    // Outgoing connections to remote port 80 are not listeners on 80.
    const rows = parseNetstat(fixtureText('netstat-ano-en-chaps-win7-psv2.txt'));
    expect(rows.filter((row) => row.foreignAddress.endsWith(':80')).map((row) => row.pid)).toEqual([
      948, 564,
    ]);
  },

  'powershell-firewall-profiles-json-en-1.txt': () => {
    const profiles = parsePowerShellProfiles(fixtureText('powershell-firewall-profiles-json-en-1.txt'));
    expect(profiles.map((p) => [p.profile, p.state, p.defaultInbound, p.defaultOutbound])).toEqual([
      ['private', 'on', null, null],
      ['public', 'on', null, null],
    ]);
    expect(profiles[0]?.settings).toContainEqual({ key: 'DefaultInboundAction', value: '0' });
  },
  'powershell-firewall-rules-json-en-1.txt': () => {
    const found = parsePowerShellRules(fixtureText('powershell-firewall-rules-json-en-1.txt'));
    expect(
      found.map((rule) => [rule.name, rule.enabled, rule.direction, rule.action, rule.profiles]),
    ).toEqual([
      ['OpenSSH SSH Server (sshd)', true, 'in', 'allow', ['domain', 'private', 'public']],
      ['OpenSSH Server (sshd)', true, 'in', 'allow', ['domain', 'private', 'public']],
    ]);
    expect(found[0]?.grouping).toBe('OpenSSH Server');
    expect(found[0]?.fields).toContainEqual({ label: 'Name', value: 'OpenSSH-Server-In-TCP' });
  },
  'powershell-firewall-settings-json-en-1.txt': () => {
    // Global settings, not a profile: read without error, no profile recognised.
    const [settings] = parsePowerShellProfiles(fixtureText('powershell-firewall-settings-json-en-1.txt'));
    expect(settings?.profile).toBeNull();
    expect(settings?.settings).toContainEqual({ key: 'ActiveProfile', value: '65535' });
  },

  'sc-qc-en-1.txt': () => {
    const result = parseSc(fixtureText('sc-qc-en-1.txt'), 0);
    expect(result.notInstalled).toBe(false);
    expect(result.services).toHaveLength(1);
    expect(result.services[0]).toMatchObject({
      name: 'AppReadiness',
      displayName: 'App Readiness',
      startType: 'demand',
      delayedStart: false,
      binaryPath: 'C:\\Windows\\System32\\svchost.exe -k AppReadiness -p',
      dependencies: [],
      startName: 'LocalSystem',
    });
  },
  'sc-query-list-en-new-1.txt': () => {
    const result = parseSc(fixtureText('sc-query-list-en-new-1.txt'), 0);
    expect(
      result.services.map((s) => [s.name, s.displayName, s.state, s.stateCode, s.win32ExitCode]),
    ).toEqual([
      ['MixedRealityOpenXRSvc', 'Windows Mixed Reality OpenXR Service', 'stopped', 1, 1077],
      ['MozillaMaintenance', 'Mozilla Maintenance Service', 'stopped', 1, 1077],
      ['mpssvc', 'Windows Defender Firewall', 'running', 4, 0],
      ['MSDTC', 'Distributed Transaction Coordinator', 'stopped', 1, 1077],
    ]);
  },
  'sc-queryex-and-1060-en-1.txt': () => {
    const text = fixtureText('sc-queryex-and-1060-en-1.txt');
    const result = parseSc(text);
    expect(result.services[0]).toMatchObject({ name: 'winman-rest', state: 'running', pid: null });
    // The second half of the sample is the "not installed" answer.
    expect(result.errorCode).toBe(1060);
    expect(result.notInstalled).toBe(true);
    const failure = text.slice(text.indexOf('[SC]'));
    expect(parseSc(failure, 1060)).toEqual({ services: [], errorCode: 1060, notInstalled: true });
  },
  'sc-stop-start-en-1.txt': () => {
    const result = parseSc(fixtureText('sc-stop-start-en-1.txt'), 0);
    expect(result.services.map((s) => [s.name, s.state, s.stateCode, s.pid])).toEqual([
      ['AdvancedSystemCareService9', 'running', 4, null],
      ['AdvancedSystemCareService9', 'start-pending', 2, 3220],
    ]);
  },
  'tasklist-csv-en-1.txt': () => {
    const rows = parseTasklistCsv(fixtureText('tasklist-csv-en-1.txt'));
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.imageName === 'python.exe')).toBe(true);
    expect(rows[3]).toEqual({
      imageName: 'python.exe',
      pid: 17136,
      sessionName: 'Console',
      sessionNumber: 1,
      memoryKb: 1671960,
      complete: true,
    });
    expect(rows[0]).toMatchObject({ pid: 6428, sessionName: 'Services', sessionNumber: 0, memoryKb: 4028 });
    // The excerpt ends in the middle of a row: kept, marked incomplete.
    expect(rows[9]).toEqual({
      imageName: 'python.exe',
      pid: 10044,
      sessionName: 'Console',
      sessionNumber: null,
      memoryKb: null,
      complete: false,
    });
  },
};

// Real outputs found for this layer (not in the shared set); their source is on their first line.
const extraChecks: Record<string, () => void> = {
  ...LANGUAGE_SAMPLE_CHECKS,
  'netstat-ano-listening-tcp-en-srv2012r2.txt': () => {
    expectNetstat('netstat-ano-listening-tcp-en-srv2012r2.txt', {
      rows: 22,
      udp: 0,
      listening: 22,
      port80: [2776],
    });
  },
  'reg-query-productname-en-srv2012r2.txt': () => {
    const values = parseRegQuery(fixtureText('reg-query-productname-en-srv2012r2.txt'));
    expect(values).toEqual([
      {
        key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
        name: 'ProductName',
        type: 'REG_SZ',
        data: 'Windows Server 2012 R2 Standard',
      },
    ]);
  },
  'reg-query-buildnumber-en-srv2012r2.txt': () => {
    const values = parseRegQuery(fixtureText('reg-query-buildnumber-en-srv2012r2.txt'));
    expect(registryValue(values, 'currentbuildnumber')).toBe('9600');
  },
  'reg-query-productname-en-win10.txt': () => {
    const values = parseRegQuery(fixtureText('reg-query-productname-en-win10.txt'));
    expect(registryValue(values, 'ProductName')).toBe('Windows 10 Enterprise');
  },
  'reg-query-buildnumber-en-win10.txt': () => {
    const values = parseRegQuery(fixtureText('reg-query-buildnumber-en-win10.txt'));
    expect(registryValue(values, 'CurrentBuildNumber')).toBe('17134');
  },
  'reg-query-enablefirewall-s-en-srv2012r2.txt': () => {
    const values = parseRegQuery(fixtureText('reg-query-enablefirewall-s-en-srv2012r2.txt'));
    expect(values.map((value) => [value.key.split('\\').pop(), value.name, value.type, value.data])).toEqual([
      ['DomainProfile', 'EnableFirewall', 'REG_DWORD', '0x1'],
      ['PublicProfile', 'EnableFirewall', 'REG_DWORD', '0x1'],
      ['StandardProfile', 'EnableFirewall', 'REG_DWORD', '0x1'],
    ]);
    expect(dwordValue(registryValue(values, 'EnableFirewall', '\\PublicProfile'))).toBe(1);
  },
  'sc-config-start-en-1.txt': () => {
    expect(parseSc(fixtureText('sc-config-start-en-1.txt'), 0)).toEqual({
      services: [],
      errorCode: null,
      notInstalled: false,
    });
  },
  'sc-stop-1062-en-1.txt': () => {
    // ERROR_SERVICE_NOT_ACTIVE: stopping a service that is not running.
    expect(parseSc(fixtureText('sc-stop-1062-en-1.txt'), 1062)).toEqual({
      services: [],
      errorCode: 1062,
      notInstalled: false,
    });
  },
  'sc-start-1053-en-1.txt': () => {
    expect(parseSc(fixtureText('sc-start-1053-en-1.txt'), null).errorCode).toBe(1053);
  },
  'wevtutil-qe-text-en-1.txt': () => {
    const events = parseWevtutilText(fixtureText('wevtutil-qe-text-en-1.txt'));
    expect(events.map((e) => [e.source, e.eventId, e.level, e.date, e.description])).toEqual([
      [
        'Microsoft-Windows-Security-SPP',
        16384,
        'Information',
        null,
        'Successfully scheduled Software Protection service for re-start at 2022-09-12T00:51:13Z. Reason: RulesEngine.',
      ],
      [
        'Microsoft-Windows-Security-SPP',
        16394,
        'Information',
        null,
        'Offline downlevel migration succeeded.',
      ],
      [
        'Desktop Window Manager',
        9027,
        'Information',
        null,
        'The Desktop Window Manager has registered the session port.',
      ],
    ]);
    expect(events[0]?.fields).toHaveLength(11);
  },
  'wevtutil-qe-text-en-2.txt': () => {
    const [event, ...rest] = parseWevtutilText(fixtureText('wevtutil-qe-text-en-2.txt'));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      source: 'WLMS',
      date: '2020-12-14T17:09:08.940',
      eventId: 100,
      description: 'N/A',
    });
  },
  'ipconfig-en-1.txt': () => {
    // Not a supported output: kept to prove that inspect says so.
    const result = inspectBytes(fixtureBytes('ipconfig-en-1.txt'));
    expect(result).toMatchObject({ kind: null, looksLike: 'the output of ipconfig', findings: [] });
  },
  'powershell-table-netfirewallrule-en-1.txt': () => {
    const result = inspectBytes(fixtureBytes('powershell-table-netfirewallrule-en-1.txt'));
    expect(result.kind).toBeNull();
    expect(result.looksLike).toMatch(/^a PowerShell table/);
    expect(parseNetshRules(fixtureText('powershell-table-netfirewallrule-en-1.txt')).rules).toEqual([]);
  },
  'netsh-msg-norules-ru-affory-cp866.txt': () => {
    // The 53 bytes are cp866, not UTF-8: they only read as Russian through that code page.
    const bytes = fixtureBytes('netsh-msg-norules-ru-affory-cp866.txt');
    expect(decodeOutput(bytes, 866).text).toBe('Ни одно правило не соответствует указанным критериям.');
    expect(parseNetshRules(decodeOutput(bytes, 866).text).rules).toEqual([]);
  },
  'reg-query-notfound-en-srv2012r2.txt': () => {
    expect(parseRegQuery(fixtureText('reg-query-notfound-en-srv2012r2.txt'))).toEqual([]);
  },
};

function expectWinRm(name: string, enabled: boolean): void {
  const found = rules(name);
  expect(found.map((rule) => ({ ...brief(rule), remote: rule.remoteAddresses[0] }))).toEqual([
    winrm(enabled, ['public'], 'LocalSubnet'),
    winrm(enabled, ['domain', 'private'], 'Any'),
  ]);
  expect(found[0]?.grouping).toBe('Windows Remote Management');
}

function expectAllProfiles(name: string, notification: string): void {
  const profiles = parseNetshProfiles(fixtureText(name));
  expect(profiles.map((p) => [p.profile, p.header, p.state, p.defaultInbound, p.defaultOutbound])).toEqual([
    ['domain', 'Domain Profile Settings', 'on', 'block', 'allow'],
    ['private', 'Private Profile Settings', 'on', 'block', 'allow'],
    ['public', 'Public Profile Settings', 'on', 'block', 'allow'],
  ]);
  for (const profile of profiles) {
    expect(profile.settings).toHaveLength(11);
    expect(profile.settings).toContainEqual({ key: 'InboundUserNotification', value: notification });
    expect(profile.settings).toContainEqual({
      key: 'FileName',
      value: '%systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log',
    });
  }
}

function expectNetstat(
  name: string,
  expected: { rows: number; udp: number; listening: number; port80: number[] },
): void {
  const rows = parseNetstat(fixtureText(name));
  expect(rows).toHaveLength(expected.rows);
  expect(rows.filter((row) => row.protocol === 'UDP')).toHaveLength(expected.udp);
  expect(rows.filter((row) => row.listening)).toHaveLength(expected.listening);
  expect(listenersOnPort(rows, 80).map((row) => row.pid)).toEqual(expected.port80);
  expect(listenersOnPort(rows, 554)).toEqual([]);
  expect(listenersOnPort(rows, 1755)).toEqual([]);
}

describe('every real sample parses to the values it shows', () => {
  for (const [name, check] of Object.entries({ ...checks, ...extraChecks })) it(name, check);

  it('covers every fixture here, each with its source on the first line', () => {
    expect(Object.keys({ ...checks, ...extraChecks }).sort()).toEqual(fixtureNames());
    for (const name of fixtureNames()) expect(fixtureSource(name), name).toMatch(/^# source: \S/);
  });
});

describe('the Windows layer stands alone', () => {
  // A maintainer has only the repository: no code or test may read or cite a path outside it.
  const outside = new RegExp(['/wo' + 'rk/', '\\.\\./sha' + 'red/', 'sha' + 'red/refer' + 'ence'].join('|'));
  const here = fileURLToPath(new URL('.', import.meta.url));
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() && entry.name !== 'fixtures'
        ? sources(`${dir}${entry.name}/`)
        : entry.name.endsWith('.ts')
          ? [`${dir}${entry.name}`]
          : [],
    );

  it('has no path outside the repository in its code, tests or comments', () => {
    const offenders = sources(here).filter((file) => outside.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
