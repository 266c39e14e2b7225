// The Windows checks, as the diagnosis shows them: pure functions from what the read-only commands returned
// (already parsed) to Check results with plain summaries. Nothing here runs a program.
import type { Check, CheckStatus } from '../diagnosis/types';
import {
  describeRule,
  evaluateTraffic,
  type Outcome,
  type ProfileVerdict,
  type Traffic,
} from './firewall-analysis';
import type { FirewallRule } from './netsh-rules';
import type { FirewallProfileState } from './netsh-profiles';
import type { ProfileWord } from './netsh-words';
import { listenersOnPort, type SocketRow } from './netstat';
import { dwordValue, registryValue, type RegistryValue } from './reg-query';
import type { ScResult, ServiceInfo } from './sc';
import type { ProcessRow } from './tasklist';
import type { WindowsEvent } from './wevtutil';

/** What one read-only command gave: its parsed value, or why there is none. */
export interface CommandOutcome<T> {
  /** What an IT person would type to see the same thing. */
  command: string;
  value: T | null;
  error: string | null;
  /**
   * Why the value is not the whole picture (one named rule, a filtered or cut listing), in words that fit
   * "from this partial listing (…)"; absent when it is complete. Only a rule that surely blocks is a firm
   * conclusion from a partial listing: any other rule may be among those not shown.
   */
  partial?: string;
}

export interface WindowsSnapshot {
  os?: CommandOutcome<RegistryValue[]>;
  rules?: CommandOutcome<FirewallRule[]>;
  profiles?: CommandOutcome<FirewallProfileState[]>;
  /** The profiles `show currentprofile` printed (the active ones). */
  activeProfiles?: CommandOutcome<ProfileWord[]>;
  wmserver?: CommandOutcome<{ query: ScResult; config: ScResult | null }>;
  sockets?: CommandOutcome<SocketRow[]>;
  processes?: CommandOutcome<ProcessRow[]>;
  /** Values under Software\Policies\Microsoft\WindowsMediaPlayer, HKLM and HKCU together. */
  wmpPolicy?: CommandOutcome<RegistryValue[]>;
  /** Values of WMP's Active Setup entry ({6BF52A52-394A-11d3-B153-00C04F79FAA6}). */
  wmpVersion?: CommandOutcome<RegistryValue[]>;
  /** The latest Application-log events of Windows Media Services, newest first. */
  wmserverEvents?: CommandOutcome<WindowsEvent[]>;
}

export interface AnalysisContext {
  /** The port of the stream URL, checked besides 1755, 554 and 80. */
  streamPort?: number | null;
  /** The server's IPv4 address, to evaluate rules limited to some remote addresses. */
  serverAddress?: string | null;
}

export const WINDOWS_CHECKS = {
  os: { id: 'windows.os', tier: 'moderate', title: 'Windows edition' },
  firewallState: {
    id: 'windows.firewall-state',
    tier: 'moderate',
    title: 'Windows Firewall state and defaults',
  },
  firewallClient: {
    id: 'windows.firewall-client',
    tier: 'moderate',
    title: 'Firewall: Windows Media Player connecting out (TCP 1755, 554, 80)',
  },
  firewallClientUdp: {
    id: 'windows.firewall-client-udp',
    tier: 'advanced',
    title: 'Firewall: UDP stream data reaching Windows Media Player',
  },
  firewallServer: {
    id: 'windows.firewall-server',
    tier: 'advanced',
    title: 'Firewall: a streaming server reachable on 1755, 554 and 80',
  },
  wmpSharing: {
    id: 'windows.wmp-network-sharing',
    tier: 'advanced',
    title: 'Windows Media Player Network Sharing Service rules',
  },
  wmpPolicy: { id: 'windows.wmp-policy', tier: 'moderate', title: 'Windows Media Player protocol policy' },
  wmpVersion: { id: 'windows.wmp-version', tier: 'advanced', title: 'Windows Media Player version' },
  wmserver: { id: 'windows.wmserver', tier: 'advanced', title: 'Windows Media Services (WMServer)' },
  portOwners: {
    id: 'windows.port-owners',
    tier: 'advanced',
    title: 'Programs listening on 80, 554 and 1755',
  },
  wmserverEvents: {
    id: 'windows.wmserver-events',
    tier: 'advanced',
    title: 'Latest Windows Media Services events',
  },
} as const satisfies Record<string, Pick<Check, 'id' | 'tier' | 'title'>>;

type CheckKey = keyof typeof WINDOWS_CHECKS;

export const READ_COMMANDS: Record<CheckKey, string> = {
  os: 'reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"',
  firewallState: 'netsh advfirewall show allprofiles   (active: netsh advfirewall show currentprofile)',
  firewallClient: 'netsh advfirewall firewall show rule name=all dir=out verbose',
  firewallClientUdp: 'netsh advfirewall firewall show rule name=all dir=in verbose',
  firewallServer: 'netsh advfirewall firewall show rule name=all dir=in verbose',
  wmpSharing: 'netsh advfirewall firewall show rule name=all verbose',
  wmpPolicy:
    'reg query "HKLM\\Software\\Policies\\Microsoft\\WindowsMediaPlayer" /s   and   reg query "HKCU\\Software\\Policies\\Microsoft\\WindowsMediaPlayer" /s',
  wmpVersion:
    'reg query "HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\{6BF52A52-394A-11d3-B153-00C04F79FAA6}"',
  wmserver: 'sc query WMServer   and   sc qc WMServer',
  portOwners: 'netstat -ano   and   tasklist /FO CSV /NH',
  wmserverEvents:
    'wevtutil qe Application "/q:*[System[Provider[@Name=\'WMServer\']]]" /c:5 /rd:true /f:text',
};

function check(key: CheckKey, status: CheckStatus, summary: string, evidence?: string): Check {
  const base = WINDOWS_CHECKS[key];
  const result: Check = { ...base, status, summary, command: READ_COMMANDS[key] };
  if (evidence !== undefined && evidence !== '') result.evidence = evidence;
  return result;
}

/** Every Windows check as "skip": what a machine that is not Windows reports. */
export function unavailableChecks(): Check[] {
  return (Object.keys(WINDOWS_CHECKS) as CheckKey[]).map((key) =>
    check(key, 'skip', 'Not available on this system: this check reads Windows settings.'),
  );
}

function missing<T>(outcome: CommandOutcome<T> | undefined, key: CheckKey): Check | T {
  if (!outcome) return check(key, 'skip', 'Not checked: the command was not run.');
  if (outcome.value === null) {
    return check(key, 'error', `The command could not be read: ${outcome.error ?? 'no output'}.`);
  }
  return outcome.value;
}

const isCheck = (value: unknown): value is Check =>
  typeof value === 'object' && value !== null && 'status' in value && 'summary' in value && 'tier' in value;

// ---------------------------------------------------------------------------------------------- OS edition

export interface OsEdition {
  productName: string | null;
  installationType: string | null;
  build: number | null;
  server: boolean | null;
  /** ProductName says "Windows 10" on Windows 11 too; builds from 22000 on are Windows 11. */
  displayName: string | null;
}

export function osEdition(values: readonly RegistryValue[]): OsEdition {
  const productName = registryValue(values, 'ProductName');
  const installationType = registryValue(values, 'InstallationType');
  const editionId = registryValue(values, 'EditionID');
  const buildText = registryValue(values, 'CurrentBuildNumber') ?? registryValue(values, 'CurrentBuild');
  const build = buildText !== null && /^\d+$/.test(buildText) ? Number(buildText) : null;
  let server: boolean | null = null;
  if (installationType) server = /server/i.test(installationType);
  else if (editionId) server = /^server/i.test(editionId);
  else if (productName) server = /server/i.test(productName);
  let displayName = productName;
  if (productName && build !== null && build >= 22000 && /^Windows 10\b/.test(productName)) {
    displayName = productName.replace(/^Windows 10/, 'Windows 11');
  }
  return { productName, installationType, build, server, displayName };
}

export function osCheck(snapshot: WindowsSnapshot): Check {
  const values = missing(snapshot.os, 'os');
  if (isCheck(values)) return values;
  const edition = osEdition(values);
  if (edition.server === null) {
    return check('os', 'warn', 'The Windows edition could not be read from the registry.');
  }
  const name = `${edition.displayName ?? 'Windows'}${edition.build !== null ? ` (build ${edition.build})` : ''}`;
  const summary = edition.server
    ? `${name} is a Windows Server edition: Windows Media Services can run only on editions like this one.`
    : `${name} is a client edition: it can play streams, but it cannot run Windows Media Services, which needs Windows Server.`;
  return check('os', 'pass', summary, values.map((value) => `${value.name} = ${value.data}`).join('\n'));
}

// ------------------------------------------------------------------------------------------ firewall state

function activeProfilesOf(snapshot: WindowsSnapshot): ProfileWord[] | null {
  const active = snapshot.activeProfiles?.value;
  return active && active.length > 0 ? active : null;
}

const PROFILE_NAMES: Record<ProfileWord, string> = { domain: 'Domain', private: 'Private', public: 'Public' };

export function firewallStateCheck(snapshot: WindowsSnapshot): Check {
  const profiles = missing(snapshot.profiles, 'firewallState');
  if (isCheck(profiles)) return profiles;
  const known = profiles.filter((profile) => profile.profile !== null);
  if (known.length === 0) {
    return check(
      'firewallState',
      'error',
      'netsh printed no firewall profile. The Windows Firewall service may be stopped or unreachable.',
    );
  }
  const active = activeProfilesOf(snapshot);
  const parts = known.map((profile) => {
    const name = PROFILE_NAMES[profile.profile as ProfileWord];
    const state = profile.state === null ? 'state unknown' : profile.state === 'on' ? 'on' : 'off';
    const policy =
      profile.defaultInbound === null
        ? ''
        : `, blocks incoming connections ${profile.defaultInbound === 'block-always' ? 'always' : 'without a rule'}, ${
            profile.defaultOutbound === 'block' ? 'blocks' : 'allows'
          } outgoing connections by default`;
    return `${name}${active?.includes(profile.profile as ProfileWord) ? ' (active)' : ''}: ${state}${policy}`;
  });
  const activeStates = known.filter((profile) => !active || active.includes(profile.profile as ProfileWord));
  const outboundBlocked = activeStates.filter(
    (profile) => profile.state !== 'off' && profile.defaultOutbound === 'block',
  );
  const status: CheckStatus = outboundBlocked.length > 0 ? 'warn' : 'pass';
  const note =
    outboundBlocked.length > 0
      ? ' Outgoing connections are blocked by default: Windows Media Player needs an allow rule to reach any server.'
      : '';
  return check('firewallState', status, `${parts.join('; ')}.${note}`);
}

// ------------------------------------------------------------------------------------------- firewall rules

const OUTCOME_TEXT: Record<Outcome, string> = {
  blocked: 'blocked',
  'maybe-blocked': 'possibly blocked',
  allowed: 'allowed by a rule',
  'maybe-allowed': 'possibly allowed by a rule',
  'default-allow': 'allowed (no rule, default policy)',
  'default-block': 'blocked (no allow rule, default policy)',
  'firewall-off': 'not filtered (firewall off)',
};

const RULE_OUTCOMES: readonly Outcome[] = ['blocked', 'maybe-blocked', 'allowed', 'maybe-allowed'];

interface TrafficReport {
  label: string;
  verdicts: ProfileVerdict[];
}

function reportTraffic(
  rules: readonly FirewallRule[],
  profiles: readonly FirewallProfileState[],
  traffic: Traffic[],
  labels: string[],
): TrafficReport[] {
  return traffic.map((item, i) => ({
    label: labels[i] ?? '',
    verdicts: evaluateTraffic(rules, item, profiles),
  }));
}

/** A machine can have thousands of matching rules: evidence and summaries name the first few. */
const MAX_EVIDENCE_RULES = 40;
const MAX_NAMED_RULES = 5;

function evidenceOf(reports: readonly TrafficReport[]): string {
  const lines: string[] = [];
  const seen = new Set<FirewallRule>();
  for (const report of reports) {
    for (const verdict of report.verdicts) {
      // Block rules first: they decide.
      for (const match of [...verdict.blocking, ...verdict.allowing]) {
        if (seen.has(match.rule)) continue;
        seen.add(match.rule);
        if (lines.length >= MAX_EVIDENCE_RULES) continue;
        const doubt = match.doubts.length > 0 ? ` (uncertain: ${match.doubts.join('; ')})` : '';
        lines.push(describeRule(match.rule) + doubt);
      }
    }
  }
  if (seen.size > lines.length) lines.push(`… and ${seen.size - lines.length} more matching rules`);
  return lines.join('\n');
}

function nameRules(unique: readonly string[]): string {
  const shown = unique.slice(0, MAX_NAMED_RULES).join(', ');
  return unique.length > MAX_NAMED_RULES ? `${shown} and ${unique.length - MAX_NAMED_RULES} more` : shown;
}

function summarizeReports(reports: readonly TrafficReport[], active: ProfileWord[] | null): string {
  return reports
    .map((report) => {
      const relevant = report.verdicts.filter((verdict) => !active || active.includes(verdict.profile));
      const byOutcome = new Map<Outcome, string[]>();
      for (const verdict of relevant) {
        const names = byOutcome.get(verdict.outcome) ?? [];
        names.push(PROFILE_NAMES[verdict.profile]);
        byOutcome.set(verdict.outcome, names);
      }
      const parts = [...byOutcome].map(([outcome, profileNames]) => {
        const names = new Set<string>();
        for (const verdict of relevant) {
          if (verdict.outcome !== outcome) continue;
          for (const match of outcome.includes('block') ? verdict.blocking : verdict.allowing) {
            if (match.rule.name !== '') names.add(`"${match.rule.name}"`);
          }
        }
        // Only outcomes a rule decided name rules: "allowed (no rule, default policy) by X" contradicts itself.
        const decided = RULE_OUTCOMES.includes(outcome) && names.size > 0;
        const text = decided ? OUTCOME_TEXT[outcome].replace(/ by a rule$/, '') : OUTCOME_TEXT[outcome];
        const by = decided ? ` by ${nameRules([...names])}` : '';
        return `${text}${by} in ${profileNames.join('/')}`;
      });
      return `${report.label}: ${parts.join('; ')}`;
    })
    .join('. ');
}

function statusOf(
  reports: readonly TrafficReport[],
  active: ProfileWord[] | null,
  failOn: Outcome[],
): CheckStatus {
  let status: CheckStatus = 'pass';
  for (const report of reports) {
    for (const verdict of report.verdicts) {
      const isActive = !active || active.includes(verdict.profile);
      if (failOn.includes(verdict.outcome)) {
        if (isActive) return 'fail';
        status = 'warn';
      } else if (verdict.outcome === 'maybe-blocked' || verdict.outcome === 'maybe-allowed') {
        if (isActive) status = 'warn';
      }
    }
  }
  return status;
}

/** What Windows Media Player sends when it opens a stream: TCP out to 1755, 554, 80 and the URL's port. */
export function playerOutboundTraffic(context: AnalysisContext): Traffic[] {
  return streamPorts(context).map((port) => ({
    protocol: 'TCP',
    port,
    direction: 'out',
    program: 'wmplayer.exe',
    remoteAddress: context.serverAddress ?? null,
  }));
}

function streamPorts(context: AnalysisContext): number[] {
  const ports = [1755, 554, 80];
  const extra = context.streamPort;
  if (extra && Number.isInteger(extra) && extra > 0 && extra < 65536 && !ports.includes(extra))
    ports.push(extra);
  return ports;
}

export function firewallClientCheck(snapshot: WindowsSnapshot, context: AnalysisContext = {}): Check {
  const rules = missing(snapshot.rules, 'firewallClient');
  if (isCheck(rules)) return rules;
  const profiles = snapshot.profiles?.value ?? [];
  const traffic = playerOutboundTraffic(context);
  const reports = reportTraffic(
    rules,
    profiles,
    traffic,
    traffic.map(({ port }) => `TCP ${port} out`),
  );
  const active = activeProfilesOf(snapshot);
  const judged = judge(snapshot, reports, active, statusOf(reports, active, ['blocked', 'default-block']));
  const lead =
    judged.status === 'fail'
      ? 'Windows Firewall stops Windows Media Player from connecting to the server. '
      : judged.partial
        ? ''
        : judged.status === 'warn'
          ? 'A firewall rule may stop Windows Media Player from connecting. '
          : 'Windows Firewall lets Windows Media Player connect out. ';
  return check(
    'firewallClient',
    judged.status,
    judged.prefix + lead + summarizeReports(reports, active) + '.' + judged.suffix('firewallClient'),
    evidenceOf(reports),
  );
}

interface Judgement {
  status: CheckStatus;
  /** The listing was partial and nothing in it was firm: the prefix says so, no verdict sentence follows. */
  partial: boolean;
  prefix: string;
  suffix(key: CheckKey): string;
}

/**
 * What the rules allow a firm conclusion on. From a partial listing only a rule that surely blocks is
 * firm: an allow rule may be beaten by a block rule not shown, and "no rule" may just be "not shown".
 * Without the profiles' settings, a default-policy outcome rests on Windows' shipped defaults.
 */
function judge(
  snapshot: WindowsSnapshot,
  reports: readonly TrafficReport[],
  active: ProfileWord[] | null,
  status: CheckStatus,
): Judgement {
  const relevant = reports.flatMap((report) =>
    report.verdicts.filter((verdict) => !active || active.includes(verdict.profile)),
  );
  const partial = snapshot.rules?.partial;
  const firmBlock = relevant.some((verdict) => verdict.outcome === 'blocked');
  const onDefaults = relevant.some((verdict) => verdict.outcome.startsWith('default-'));
  const policyKnown = (snapshot.profiles?.value?.length ?? 0) > 0;
  let judged = status;
  if (partial !== undefined && !(status === 'fail' && firmBlock))
    judged = status === 'skip' ? 'skip' : 'warn';
  else if (!policyKnown && onDefaults && status !== 'skip')
    judged = firmBlock && status === 'fail' ? 'fail' : 'warn';
  const prefix =
    partial === undefined
      ? ''
      : judged === 'fail'
        ? `A rule in this partial listing (${partial}) decides: a block rule wins over any allow rule. `
        : `From this partial listing (${partial}) nothing firm can be said; the rules not shown may change it. `;
  return {
    status: judged,
    partial: partial !== undefined && judged !== 'fail',
    prefix,
    suffix: (key) => {
      const parts: string[] = [];
      if (partial !== undefined && judged !== 'fail')
        parts.push(` For the full picture run: ${READ_COMMANDS[key]}`);
      if (!policyKnown && onDefaults) {
        parts.push(
          ' The default policy is not in this output (Windows ships with: block incoming, allow outgoing); `netsh advfirewall show allprofiles` shows it.',
        );
      }
      return parts.join('');
    },
  };
}

export function firewallClientUdpCheck(snapshot: WindowsSnapshot): Check {
  const rules = missing(snapshot.rules, 'firewallClientUdp');
  if (isCheck(rules)) return rules;
  const profiles = snapshot.profiles?.value ?? [];
  // MMS and RTSP over UDP send the stream to a dynamic UDP port of the player.
  const traffic: Traffic[] = [{ protocol: 'UDP', port: 49152, direction: 'in', program: 'wmplayer.exe' }];
  const reports = reportTraffic(rules, profiles, traffic, ['UDP data in']);
  const active = activeProfilesOf(snapshot);
  const blocked = statusOf(reports, active, ['blocked', 'default-block']);
  const status: CheckStatus = blocked === 'fail' ? 'warn' : blocked;
  const lead =
    status === 'pass'
      ? 'Stream data over UDP can reach Windows Media Player. '
      : 'Stream data over UDP may not reach Windows Media Player; the player then falls back to TCP, which works unless a policy allows UDP only. ';
  return check(
    'firewallClientUdp',
    status,
    lead + summarizeReports(reports, active) + '.',
    evidenceOf(reports),
  );
}

/**
 * Windows Media Services as the snapshot shows it: `sc query` tells the state, `sc qc` the configuration.
 * The one place both are merged; the checks and the fix proposals read the service through it.
 */
export function wmserverOf(snapshot: WindowsSnapshot): {
  installed: boolean | null;
  service: ServiceInfo | null;
} {
  const value = snapshot.wmserver?.value;
  if (!value) return { installed: null, service: null };
  if (value.query.notInstalled) return { installed: false, service: null };
  const queried = value.query.services[0] ?? null;
  const config = value.config?.services[0];
  // `sc query` tells the state, `sc qc` the configuration; merged into a new object, inputs stay untouched.
  const service =
    queried && config
      ? {
          ...queried,
          startType: config.startType,
          delayedStart: config.delayedStart,
          dependencies: config.dependencies,
          binaryPath: config.binaryPath,
        }
      : queried;
  return { installed: service !== null ? true : null, service };
}

export function firewallServerCheck(snapshot: WindowsSnapshot): Check {
  const { installed } = wmserverOf(snapshot);
  if (installed === false) {
    return check(
      'firewallServer',
      'skip',
      'Windows Media Services is not installed here, so this machine needs no inbound streaming rule.',
    );
  }
  const rules = missing(snapshot.rules, 'firewallServer');
  if (isCheck(rules)) return rules;
  const profiles = snapshot.profiles?.value ?? [];
  const traffic: Traffic[] = [
    { protocol: 'TCP', port: 1755, direction: 'in', program: null },
    { protocol: 'UDP', port: 1755, direction: 'in', program: null },
    { protocol: 'TCP', port: 554, direction: 'in', program: null },
    { protocol: 'TCP', port: 80, direction: 'in', program: null },
  ];
  const reports = reportTraffic(rules, profiles, traffic, [
    'TCP 1755 in',
    'UDP 1755 in',
    'TCP 554 in',
    'TCP 80 in',
  ]);
  const active = activeProfilesOf(snapshot);
  const status = statusOf(reports.slice(0, 1), active, ['blocked', 'default-block']);
  const others = statusOf(reports.slice(1), active, ['blocked', 'default-block']);
  const judged = judge(snapshot, reports.slice(0, 1), active, status);
  let combined: CheckStatus = judged.status === 'pass' && others !== 'pass' ? 'warn' : judged.status;
  // Without the service state (an inspected file), this machine may just as well be a client.
  const unknownRole = installed === null;
  if (unknownRole && combined === 'fail') combined = 'warn';
  const verdict =
    judged.status === 'fail'
      ? 'Players cannot reach this streaming server on TCP 1755 (MMS): add the inbound "WMS Streaming (1755)" rule. '
      : judged.partial
        ? ''
        : combined === 'warn'
          ? 'Some streaming ports of this server may be blocked for players. '
          : 'Players can reach this server on the streaming ports. ';
  const lead = judged.prefix + (unknownRole ? 'If this machine is the streaming server: ' : '') + verdict;
  return check(
    'firewallServer',
    combined,
    lead + summarizeReports(reports, active) + '.' + judged.suffix('firewallServer'),
    evidenceOf(reports),
  );
}

export function wmpSharingCheck(snapshot: WindowsSnapshot): Check {
  const rules = missing(snapshot.rules, 'wmpSharing');
  if (isCheck(rules)) return rules;
  const sharing = rules.filter(
    (rule) =>
      (rule.program !== null && /(^|\\)wmpnetwk\.exe$/i.test(rule.program)) ||
      (rule.service !== null && /^WMPNetworkSvc$/i.test(rule.service)) ||
      (rule.grouping !== null && /Windows Media Player Network Sharing/i.test(rule.grouping)),
  );
  if (sharing.length === 0) {
    return check(
      'wmpSharing',
      'skip',
      'No rule of the Windows Media Player Network Sharing Service was listed (it matters only for sharing a media library, not for playing a stream).',
    );
  }
  const allowed = sharing.filter((rule) => rule.enabled === true && rule.action === 'allow');
  const status: CheckStatus = allowed.length > 0 ? 'pass' : 'warn';
  const summary =
    allowed.length > 0
      ? `${allowed.length} of ${sharing.length} Network Sharing Service rules are enabled and allow traffic.`
      : `All ${sharing.length} Network Sharing Service rules are disabled or block traffic: media library sharing cannot work.`;
  return check('wmpSharing', status, summary, sharing.map(describeRule).join('\n'));
}

// -------------------------------------------------------------------------------------------- WMP policy

const PROTOCOL_POLICY_KEY = 'policies\\microsoft\\windowsmediaplayer\\protocols';

export function wmpPolicyCheck(snapshot: WindowsSnapshot): Check {
  const values = missing(snapshot.wmpPolicy, 'wmpPolicy');
  if (isCheck(values)) return values;
  const evidence = values.map((value) => `${value.key}\\${value.name} = ${value.data}`).join('\n');
  const protocolValues = values.filter((value) => value.key.toLowerCase().endsWith(PROTOCOL_POLICY_KEY));
  if (protocolValues.length === 0) {
    return check(
      'wmpPolicy',
      'pass',
      'No Group Policy restricts the streaming protocols of Windows Media Player.',
      evidence,
    );
  }
  // "Streaming Media Protocols" (windowsmediaplayer.admx): 0 = disabled, no MMS/RTSP stream at all;
  // 1 = enabled, only the protocols whose values are 1 may be used.
  const hives = [
    ...new Set(protocolValues.map((value) => (/^HKEY_CURRENT_USER/i.test(value.key) ? 'HKCU' : 'HKLM'))),
  ];
  const master = dwordValue(registryValue(protocolValues, 'WindowsMediaStreamingProtocols'));
  if (master === 0) {
    return check(
      'wmpPolicy',
      'fail',
      `A Group Policy (${hives.join(', ')}) switched off MMS and RTSP streaming from Windows Media servers in Windows Media Player; only an administrator can change it.`,
      evidence,
    );
  }
  const names = ['TCP', 'HTTP', 'UDP', 'Multicast'];
  const allowed = names.filter((name) => dwordValue(registryValue(protocolValues, name)) === 1);
  const refused = names.filter((name) => !allowed.includes(name));
  if (master === 1 && !allowed.some((name) => name !== 'Multicast')) {
    return check(
      'wmpPolicy',
      'fail',
      `A Group Policy (${hives.join(', ')}) allows no streaming protocol: Windows Media Player cannot open MMS or RTSP URLs from a Windows Media server.`,
      evidence,
    );
  }
  if (master === 1 && refused.length > 0) {
    return check(
      'wmpPolicy',
      'warn',
      `A Group Policy (${hives.join(', ')}) limits Windows Media Player to ${allowed.join(', ')}; not allowed: ${refused.join(', ')}.`,
      evidence,
    );
  }
  return check('wmpPolicy', 'pass', 'The streaming protocol policy allows every protocol.', evidence);
}

export function wmpVersionCheck(snapshot: WindowsSnapshot): Check {
  const values = missing(snapshot.wmpVersion, 'wmpVersion');
  if (isCheck(values)) return values;
  const installed = dwordValue(registryValue(values, 'IsInstalled'));
  const version = registryValue(values, 'Version');
  if (values.length === 0 || installed === 0) {
    return check(
      'wmpVersion',
      'warn',
      'Windows Media Player is not installed (an "N" edition of Windows, or the optional feature was removed).',
    );
  }
  const shown = version ? version.replace(/,/g, '.') : 'an unknown version';
  return check('wmpVersion', 'pass', `Windows Media Player ${shown} is installed.`);
}

// ---------------------------------------------------------------------------------------- WMServer service

const STATE_TEXT: Record<string, string> = {
  stopped: 'stopped',
  'start-pending': 'starting',
  'stop-pending': 'stopping',
  running: 'running',
  'continue-pending': 'resuming',
  'pause-pending': 'pausing',
  paused: 'paused',
};

export function wmserverCheck(snapshot: WindowsSnapshot): Check {
  const value = missing(snapshot.wmserver, 'wmserver');
  if (isCheck(value)) return value;
  const server = snapshot.os?.value ? osEdition(snapshot.os.value).server : null;
  const { installed, service } = wmserverOf(snapshot);
  if (installed === false) {
    return check(
      'wmserver',
      server ? 'warn' : 'skip',
      server
        ? 'Windows Media Services is not installed on this server (sc: error 1060).'
        : 'Windows Media Services is not installed (sc: error 1060); it exists only on Windows Server.',
    );
  }
  if (!service) return check('wmserver', 'error', 'sc printed no service state for WMServer.');
  const state = service.state ? STATE_TEXT[service.state] : 'in an unknown state';
  const start = service.startType
    ? `, start type ${service.startType}${service.delayedStart ? ' (delayed)' : ''}`
    : '';
  const dependencies =
    service.dependencies.length > 0 ? `, depends on ${service.dependencies.join(', ')}` : '';
  const facts = `Windows Media Services is ${state}${start}${dependencies}.`;
  if (service.startType === 'disabled') {
    return check(
      'wmserver',
      'fail',
      `${facts} It is disabled: it cannot start until its start type is changed.`,
    );
  }
  if (service.state !== 'running') {
    return check(
      'wmserver',
      'fail',
      `${facts} Players get no answer on 1755 or 554 while it is not running.`,
    );
  }
  if (service.startType !== null && service.startType !== 'auto') {
    return check('wmserver', 'warn', `${facts} It will not start again after a restart of Windows.`);
  }
  return check('wmserver', 'pass', facts);
}

// -------------------------------------------------------------------------------------------- port owners

export function portOwnersCheck(snapshot: WindowsSnapshot): Check {
  const sockets = missing(snapshot.sockets, 'portOwners');
  if (isCheck(sockets)) return sockets;
  const partial = snapshot.sockets?.partial;
  const processes = snapshot.processes?.value ?? [];
  const nameOf = (pid: number): string =>
    pid === 4
      ? 'System'
      : pid === 0
        ? 'System Idle Process'
        : (processes.find((p) => p.pid === pid)?.imageName ?? '?');
  const { installed } = wmserverOf(snapshot);
  const lines: string[] = [];
  const owners = new Map<number, string[]>();
  for (const port of [80, 554, 1755]) {
    const listeners = listenersOnPort(sockets, port);
    const names = listeners.map((row) => `${nameOf(row.pid)} (PID ${row.pid}, ${row.protocol})`);
    owners.set(
      port,
      listeners.map((row) => nameOf(row.pid).toLowerCase()),
    );
    // A filtered listing that shows nobody on a port says nothing about that port.
    const nobody = partial === undefined ? 'nobody' : 'not in this listing';
    lines.push(`${port}: ${names.length > 0 ? [...new Set(names)].join(', ') : nobody}`);
  }
  let status: CheckStatus = 'pass';
  const notes: string[] = [];
  if ((owners.get(80) ?? []).includes('system')) {
    notes.push(
      'port 80 belongs to HTTP.sys (IIS or another HTTP.sys service), so Windows Media Services cannot serve MMS over HTTP on 80',
    );
    if (installed) status = 'warn';
  }
  if (installed) {
    const mms = owners.get(1755) ?? [];
    if (mms.length === 0 && partial === undefined) {
      status = 'warn';
      notes.push('nobody listens on 1755 although Windows Media Services is installed');
    }
  }
  const scope = partial === undefined ? '' : `From this partial listing (${partial}): `;
  const full = partial === undefined ? '' : ` For the full picture run: ${READ_COMMANDS.portOwners}`;
  const summary = `${scope}Listening: ${lines.join('; ')}.${notes.length > 0 ? ` Note: ${notes.join('; ')}.` : ''}${full}`;
  return check('portOwners', partial !== undefined && status === 'pass' ? 'warn' : status, summary);
}

// ------------------------------------------------------------------------------------------ WMServer events

export function wmserverEventsCheck(snapshot: WindowsSnapshot): Check {
  const { installed } = wmserverOf(snapshot);
  if (installed === false) {
    return check('wmserverEvents', 'skip', 'Windows Media Services is not installed, so it logs no events.');
  }
  const events = missing(snapshot.wmserverEvents, 'wmserverEvents');
  if (isCheck(events)) return events;
  if (events.length === 0) {
    return check('wmserverEvents', 'pass', 'Windows Media Services logged no event in the Application log.');
  }
  // Levels are words in the display language; "Error"/"Warning" are recognised in English only.
  const serious = events.filter((event) => /^(error|warning|critical)$/i.test(event.level ?? ''));
  const lines = events.map((event) => {
    const first = event.description.split('\n')[0] ?? '';
    return `${event.date ?? 'date ?'}  ID ${event.eventId ?? '?'}  ${event.level ?? ''}  ${first}`.trim();
  });
  const summary =
    serious.length > 0
      ? `${serious.length} of the last ${events.length} Windows Media Services events are errors or warnings; the newest: ${lines[events.indexOf(serious[0] as WindowsEvent)] ?? ''}.`
      : `The last ${events.length} Windows Media Services events hold no error or warning.`;
  return check('wmserverEvents', serious.length > 0 ? 'warn' : 'pass', summary, lines.join('\n'));
}

/** Every Windows check from a snapshot of read-only command results. */
export function analyseWindows(snapshot: WindowsSnapshot, context: AnalysisContext = {}): Check[] {
  return [
    osCheck(snapshot),
    firewallStateCheck(snapshot),
    firewallClientCheck(snapshot, context),
    firewallClientUdpCheck(snapshot),
    firewallServerCheck(snapshot),
    wmpSharingCheck(snapshot),
    wmpPolicyCheck(snapshot),
    wmpVersionCheck(snapshot),
    wmserverCheck(snapshot),
    portOwnersCheck(snapshot),
    wmserverEventsCheck(snapshot),
  ];
}
