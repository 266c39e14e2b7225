// The facts about this computer that a support bundle carries: OS build and edition, Windows Media Player's
// version, the firewall profiles and the rules that matter for streaming, WMServer and its latest events.
// They come from the Windows layer's read-only snapshot (windows/local.ts); turning a snapshot into facts is
// pure. Outside Windows every section says so instead of pretending.
import type { Check } from '../common/report';
import {
  analyseWindows,
  osEdition,
  READ_COMMANDS,
  unavailableChecks,
  type CommandOutcome,
  type WindowsSnapshot,
} from '../windows/checks';
import { describeRule, portListApplies } from '../windows/firewall-analysis';
import { collectSnapshot } from '../windows/local';
import type { FirewallRule } from '../windows/netsh-rules';
import { registryValue } from '../windows/reg-query';
import type { CommandRunner } from '../windows/runner';
import { BUNDLE_SCHEMA_VERSION, type FactSection, type SystemFacts } from './types';

export const NOT_AVAILABLE = 'Not available on this system: this reads Windows settings.';

/** The ports Windows Media streaming uses: MMS, RTSP, HTTP. */
const STREAMING_PORTS = [1755, 554, 80] as const;

const SECTION_HEADINGS: Record<FactSection['id'], { title: string; command: string }> = {
  os: { title: 'Windows edition and build', command: READ_COMMANDS.os },
  'wmp-version': { title: 'Windows Media Player version', command: READ_COMMANDS.wmpVersion },
  'firewall-profiles': { title: 'Firewall profiles', command: 'netsh advfirewall show allprofiles' },
  'firewall-rules': {
    title: 'Firewall rules that matter for streaming (TCP/UDP 1755, 554, 80, Windows Media Player)',
    command: 'netsh advfirewall firewall show rule name=all verbose',
  },
  wmserver: { title: 'Windows Media Services (WMServer)', command: READ_COMMANDS.wmserver },
  'wmserver-events': { title: 'Latest Windows Media Services events', command: READ_COMMANDS.wmserverEvents },
};

const SECTION_ORDER: FactSection['id'][] = [
  'os',
  'wmp-version',
  'firewall-profiles',
  'firewall-rules',
  'wmserver',
  'wmserver-events',
];

function section(id: FactSection['id'], status: FactSection['status'], lines: string[]): FactSection {
  return { id, ...SECTION_HEADINGS[id], status, lines };
}

function fromOutcome<T>(
  id: FactSection['id'],
  outcome: CommandOutcome<T> | undefined,
  describe: (value: T) => string[],
): FactSection {
  if (!outcome) return section(id, 'unavailable', ['Not read.']);
  if (outcome.value === null)
    return section(id, 'error', [`The command failed: ${outcome.error ?? 'no output'}`]);
  return section(id, 'ok', describe(outcome.value));
}

/** A rule matters when it names one of the streaming ports, or a Windows Media program, or no port at all. */
export function isStreamingRule(rule: FirewallRule): boolean {
  if (rule.program && /wmplayer\.exe|wmserver|wmsserver/i.test(rule.program)) return true;
  if (/windows media|wmp|stream/i.test(rule.name)) return true;
  if (rule.protocol !== null && !['TCP', 'UDP', 'Any', '6', '17'].includes(rule.protocol)) return false;
  const ports = [...rule.localPorts, ...rule.remotePorts];
  if (ports.length === 0 || ports.includes('Any')) return rule.action === 'block';
  return STREAMING_PORTS.some(
    (port) =>
      portListApplies(rule.localPorts, port) === 'applies' ||
      portListApplies(rule.remotePorts, port) === 'applies',
  );
}

/** Pure: the facts in a snapshot the Windows layer collected. */
export function factsFromSnapshot(
  snapshot: WindowsSnapshot,
  about: { computerName: string; collectedAt: string; platform: string },
  checks: Check[],
): SystemFacts {
  const sections: FactSection[] = [
    fromOutcome('os', snapshot.os, (values) => {
      const edition = osEdition(values);
      return [
        `${edition.displayName ?? 'Windows (name not read)'}${edition.build !== null ? `, build ${edition.build}` : ''}`,
        `Installation type: ${edition.installationType ?? 'not read'}`,
        ...values.map((v) => `${v.name} = ${v.data}`),
      ];
    }),
    fromOutcome('wmp-version', snapshot.wmpVersion, (values) => {
      const version = registryValue(values, 'Version');
      const installed = registryValue(values, 'IsInstalled');
      if (values.length === 0) return ['Windows Media Player is not registered (not installed).'];
      return [
        `Version: ${version ? version.replace(/,/g, '.') : 'not given'}`,
        `IsInstalled: ${installed ?? 'not given'}`,
      ];
    }),
    fromOutcome('firewall-profiles', snapshot.profiles, (profiles) => [
      ...profiles.map(
        (p) =>
          `${p.header}: ${p.state ?? 'state not read'}, inbound ${p.defaultInbound ?? '?'}, outbound ${p.defaultOutbound ?? '?'}`,
      ),
      ...(snapshot.activeProfiles?.value ? [`Active: ${snapshot.activeProfiles.value.join(', ')}`] : []),
    ]),
    fromOutcome('firewall-rules', snapshot.rules, (rules) => {
      const relevant = rules.filter(isStreamingRule);
      return [
        `${relevant.length} of ${rules.length} rules matter for streaming.`,
        ...relevant.map(describeRule),
      ];
    }),
    fromOutcome('wmserver', snapshot.wmserver, ({ query, config }) => {
      if (query.notInstalled) return ['WMServer is not installed (error 1060).'];
      const service = query.services[0];
      const start = config?.services[0];
      return [
        `State: ${service?.state ?? 'not read'}`,
        `Start type: ${start?.startType ?? 'not read'}${start?.delayedStart ? ' (delayed)' : ''}`,
        ...(start?.binaryPath ? [`Program: ${start.binaryPath}`] : []),
      ];
    }),
    snapshot.wmserverEvents === undefined
      ? section('wmserver-events', 'unavailable', ['Not read: WMServer is not installed here.'])
      : fromOutcome('wmserver-events', snapshot.wmserverEvents, (events) =>
          events.length === 0
            ? ['No events.']
            : events.map(
                (e) =>
                  `${e.date ?? '?'} ${e.level ?? ''} event ${e.eventId ?? '?'}: ${e.description.replace(/\s+/g, ' ')}`,
              ),
        ),
  ];
  return { schemaVersion: BUNDLE_SCHEMA_VERSION, ...about, sections, checks };
}

/** What a computer that is not Windows reports: every section unavailable, every check skipped. */
export function unavailableFacts(about: {
  computerName: string;
  collectedAt: string;
  platform: string;
}): SystemFacts {
  return {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    ...about,
    sections: SECTION_ORDER.map((id) => section(id, 'unavailable', [NOT_AVAILABLE])),
    checks: unavailableChecks(),
  };
}

export interface FactsDeps {
  runner: CommandRunner;
  platform: NodeJS.Platform;
  computerName: string;
  now?: () => Date;
}

/** Reads the facts of this computer with the read-only commands; never throws for a failed command. */
export async function collectSystemFacts(deps: FactsDeps): Promise<SystemFacts> {
  const about = {
    computerName: deps.computerName,
    collectedAt: (deps.now?.() ?? new Date()).toISOString(),
    platform: deps.platform,
  };
  if (deps.platform !== 'win32') return unavailableFacts(about);
  const snapshot = await collectSnapshot(deps.runner);
  return factsFromSnapshot(snapshot, about, analyseWindows(snapshot));
}
