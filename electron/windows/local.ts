// The read-only local checks: which commands run (exact argument arrays, all read-only, none needs
// administrator rights), how their bytes are decoded and parsed, and the checks built from them. Outside
// Windows nothing runs and every check is "skip".
import type { Check } from '../diagnosis/types';
import { checkServiceName } from './arguments';
import { displayCommand, encodePowerShell } from './command-line';
import {
  analyseWindows,
  unavailableChecks,
  type AnalysisContext,
  type CommandOutcome,
  type WindowsSnapshot,
} from './checks';
import { decodeOutput, parseCodePage } from './decode';
import { parseNetshProfiles } from './netsh-profiles';
import { parseNetshRules, type FirewallRule } from './netsh-rules';
import type { ProfileWord } from './netsh-words';
import { parseNetstat } from './netstat';
import { parsePowerShellRules } from './powershell-firewall';
import { parseRegQuery } from './reg-query';
import { commandKey } from './replay-runner';
import type { CommandResult, CommandRunner, CommandSpec } from './runner';
import { parseSc } from './sc';
import { parseTasklistCsv } from './tasklist';
import { parseWevtutilText } from './wevtutil';

const CURRENT_VERSION_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
// Windows Media Player 7 and later register here; IsInstalled and Version tell what is installed
// (Microsoft Windows Media Player SDK, "Determining the Windows Media Player version").
const WMP_ACTIVE_SETUP_KEY =
  'HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\{6BF52A52-394A-11d3-B153-00C04F79FAA6}';
const WMP_POLICY_KEY = 'Software\\Policies\\Microsoft\\WindowsMediaPlayer';

/** Every program the local checks run, as argument arrays. */
export const READ_ONLY_COMMANDS = {
  oemCodePage: {
    file: 'reg',
    args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'],
  },
  productName: { file: 'reg', args: ['query', CURRENT_VERSION_KEY, '/v', 'ProductName'] },
  buildNumber: { file: 'reg', args: ['query', CURRENT_VERSION_KEY, '/v', 'CurrentBuildNumber'] },
  installationType: { file: 'reg', args: ['query', CURRENT_VERSION_KEY, '/v', 'InstallationType'] },
  rulesIn: {
    file: 'netsh',
    args: ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose'],
  },
  rulesOut: {
    file: 'netsh',
    args: ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=out', 'verbose'],
  },
  allProfiles: { file: 'netsh', args: ['advfirewall', 'show', 'allprofiles'] },
  currentProfile: { file: 'netsh', args: ['advfirewall', 'show', 'currentprofile'] },
  wmserverQuery: { file: 'sc', args: ['query', checkServiceName('WMServer')] },
  wmserverConfig: { file: 'sc', args: ['qc', checkServiceName('WMServer')] },
  netstat: { file: 'netstat', args: ['-ano'] },
  tasklist: { file: 'tasklist', args: ['/FO', 'CSV', '/NH'] },
  policyMachine: { file: 'reg', args: ['query', `HKLM\\${WMP_POLICY_KEY}`, '/s'] },
  policyUser: { file: 'reg', args: ['query', `HKCU\\${WMP_POLICY_KEY}`, '/s'] },
  wmpVersion: { file: 'reg', args: ['query', WMP_ACTIVE_SETUP_KEY] },
  wmserverEvents: {
    file: 'wevtutil',
    args: ['qe', 'Application', "/q:*[System[Provider[@Name='WMServer']]]", '/c:5', '/rd:true', '/f:text'],
  },
  firewallJson: {
    file: 'powershell',
    args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodePowerShell(firewallScript())],
  },
} as const satisfies Record<string, CommandSpec>;

/**
 * Rules with their port and program filters as one JSON document: one call per cmdlet, joined in memory by
 * InstanceID (per-rule calls are slow). Numbers are not localized.
 */
function firewallScript(): string {
  return [
    '$ErrorActionPreference = "Stop"',
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    '$rules = @(Get-NetFirewallRule | Select-Object Name, DisplayName, DisplayGroup, Enabled, Direction, Action, Profile, InstanceID)',
    '$ports = @(Get-NetFirewallPortFilter | Select-Object InstanceID, Protocol, LocalPort, RemotePort)',
    '$apps = @(Get-NetFirewallApplicationFilter | Select-Object InstanceID, Program)',
    '@{ rules = $rules; ports = $ports; applications = $apps } | ConvertTo-Json -Depth 4 -Compress',
  ].join('\n');
}

/** A netsh `show` answer that printed at least one block (a 70-dash separator line). */
const hasBlocks = (text: string): boolean => /-{60,}/.test(text);

interface Decoded {
  result: CommandResult;
  text: string;
}

async function run(runner: CommandRunner, spec: CommandSpec, oemCodePage: number | null): Promise<Decoded> {
  const result = await runner.run(spec);
  const bytes = result.stdout.length > 0 ? result.stdout : result.stderr;
  return { result, text: decodeOutput(bytes, oemCodePage).text };
}

function failure(decoded: Decoded): string {
  const { result } = decoded;
  if (result.error) return result.error;
  // The message is the last line a console program prints (sc prints the code first, the sentence last).
  const lastLine = decoded.text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .at(-1);
  return `exit code ${result.exitCode ?? '?'}${lastLine ? `: ${lastLine.trim().slice(0, 200)}` : ''}`;
}

function outcome<T>(spec: CommandSpec, value: T | null, error: string | null): CommandOutcome<T> {
  return { command: displayCommand(spec), value, error };
}

function failed(spec: CommandSpec, error: string): CommandOutcome<never> {
  return { command: displayCommand(spec), value: null, error };
}

/** Fills what netsh words could not tell (enabled, direction, action) from PowerShell's numbers. */
export function fillFromPowerShell(
  netsh: FirewallRule[],
  powershell: readonly FirewallRule[],
): FirewallRule[] {
  return netsh.map((rule) => {
    if (rule.enabled !== null && rule.direction !== null && rule.action !== null) return rule;
    const twins = powershell.filter(
      (candidate) =>
        candidate.name === rule.name &&
        (rule.direction === null || candidate.direction === rule.direction) &&
        (rule.profiles.length === 0 || candidate.profiles.join() === rule.profiles.join()),
    );
    const twin = twins.length === 1 ? twins[0] : undefined;
    if (!twin) return rule;
    return {
      ...rule,
      enabled: rule.enabled ?? twin.enabled,
      direction: rule.direction ?? twin.direction,
      action: rule.action ?? twin.action,
    };
  });
}

/** Runs a command once per snapshot, however many readings need it (both rule readings need the profiles). */
type Run = (spec: CommandSpec) => Promise<Decoded>;

/** One piece of the snapshot: the command it is shown under, and how the outputs become its value. */
interface SnapshotReading<K extends keyof WindowsSnapshot> {
  command: CommandSpec;
  read(run: Run): Promise<NonNullable<WindowsSnapshot[K]>>;
}

type SnapshotReadings = { [K in keyof WindowsSnapshot]-?: SnapshotReading<K> };

const c = READ_ONLY_COMMANDS;

/** A reading of one command that prints a list: an empty list means the command failed, and says why. */
function listReading<T>(spec: CommandSpec, parse: (text: string) => T[]) {
  return {
    command: spec,
    async read(run: Run): Promise<CommandOutcome<T[]>> {
      const decoded = await run(spec);
      const items = parse(decoded.text);
      return items.length > 0 ? outcome(spec, items, null) : failed(spec, failure(decoded));
    },
  };
}

// reg query exits 1 when the key does not exist: for a policy key that means "no policy".
const registry = (decoded: Decoded) =>
  decoded.result.exitCode === 0 ? parseRegQuery(decoded.text) : decoded.result.exitCode === 1 ? [] : null;

/**
 * Every piece of the snapshot, in the order its commands start (all readings run at once). Each reading
 * starts its commands before its first await, so the order of the commands is this table's.
 */
const SNAPSHOT_READINGS: SnapshotReadings = {
  os: {
    command: c.productName,
    async read(run) {
      const outputs = await Promise.all([run(c.productName), run(c.buildNumber), run(c.installationType)]);
      // Each value alone: a value missing on older Windows (InstallationType) must not hide the others.
      const values = outputs
        .filter((decoded) => decoded.result.exitCode === 0)
        .flatMap((decoded) => parseRegQuery(decoded.text));
      return values.length > 0
        ? outcome(c.productName, values, null)
        : failed(c.productName, failure(outputs[0] as Decoded));
    },
  },
  rules: {
    command: c.rulesIn,
    async read(run) {
      const [rulesIn, rulesOut, allProfiles] = await Promise.all([
        run(c.rulesIn),
        run(c.rulesOut),
        run(c.allProfiles),
      ]);
      const profilesShown = parseNetshProfiles(allProfiles.text).length > 0;
      // "No rules match" exits 1 with no block: an empty list, provided netsh could talk to the firewall at all.
      const readRules = (decoded: Decoded, direction: 'in' | 'out'): FirewallRule[] | null => {
        if (hasBlocks(decoded.text)) return parseNetshRules(decoded.text, { direction }).rules;
        return decoded.result.exitCode === 1 && profilesShown ? [] : null;
      };
      const inbound = readRules(rulesIn, 'in');
      const outbound = readRules(rulesOut, 'out');
      if (inbound === null || outbound === null) {
        return failed(c.rulesIn, failure(inbound === null ? rulesIn : rulesOut));
      }
      let rules = [...inbound, ...outbound];
      if (rules.some((rule) => rule.enabled === null || rule.action === null)) {
        const json = await run(c.firewallJson);
        if (json.result.exitCode === 0) rules = fillFromPowerShell(rules, parsePowerShellRules(json.text));
      }
      return outcome(c.rulesIn, rules, null);
    },
  },
  profiles: listReading(c.allProfiles, parseNetshProfiles),
  activeProfiles: {
    command: c.currentProfile,
    async read(run) {
      const currentProfile = await run(c.currentProfile);
      const active = parseNetshProfiles(currentProfile.text)
        .map((profile) => profile.profile)
        .filter((profile): profile is ProfileWord => profile !== null);
      return active.length > 0
        ? outcome(c.currentProfile, active, null)
        : failed(c.currentProfile, failure(currentProfile));
    },
  },
  wmserver: {
    command: c.wmserverQuery,
    async read(run) {
      const wmserver = await run(c.wmserverQuery);
      const query = parseSc(wmserver.text, wmserver.result.exitCode);
      if (!query.notInstalled && query.services.length === 0)
        return failed(c.wmserverQuery, failure(wmserver));
      const config = query.services.length > 0 ? await run(c.wmserverConfig) : null;
      return outcome(
        c.wmserverQuery,
        { query, config: config ? parseSc(config.text, config.result.exitCode) : null },
        null,
      );
    },
  },
  wmserverEvents: {
    command: c.wmserverEvents,
    async read(run) {
      // The events exist only where the service does: asked after `sc query` said it is installed.
      const wmserver = parseSc((await run(c.wmserverQuery)).text);
      if (wmserver.services.length === 0)
        return failed(c.wmserverEvents, 'Windows Media Services is not installed');
      const events = await run(c.wmserverEvents);
      return events.result.exitCode === 0
        ? outcome(c.wmserverEvents, parseWevtutilText(events.text), null)
        : failed(c.wmserverEvents, failure(events));
    },
  },
  sockets: listReading(c.netstat, parseNetstat),
  processes: listReading(c.tasklist, parseTasklistCsv),
  wmpPolicy: {
    command: c.policyMachine,
    async read(run) {
      const [policyMachine, policyUser] = await Promise.all([run(c.policyMachine), run(c.policyUser)]);
      const machine = registry(policyMachine);
      const user = registry(policyUser);
      return machine !== null && user !== null
        ? outcome(c.policyMachine, [...machine, ...user], null)
        : failed(c.policyMachine, failure(machine === null ? policyMachine : policyUser));
    },
  },
  wmpVersion: {
    command: c.wmpVersion,
    async read(run) {
      const wmp = await run(c.wmpVersion);
      const version = registry(wmp);
      return version !== null ? outcome(c.wmpVersion, version, null) : failed(c.wmpVersion, failure(wmp));
    },
  },
};

export async function collectSnapshot(runner: CommandRunner): Promise<WindowsSnapshot> {
  const codePage = await runner.run(c.oemCodePage);
  const oem = codePage.exitCode === 0 ? parseCodePage(codePage.stdout.toString('latin1')) : null;
  const started = new Map<string, Promise<Decoded>>();
  const once: Run = (spec) => {
    const key = commandKey(spec);
    const known = started.get(key);
    if (known) return known;
    const running = run(runner, spec, oem);
    started.set(key, running);
    return running;
  };
  const keys = Object.keys(SNAPSHOT_READINGS) as (keyof WindowsSnapshot)[];
  const values = await Promise.all(keys.map((key) => SNAPSHOT_READINGS[key].read(once)));
  const snapshot: WindowsSnapshot = {};
  keys.forEach((key, i) => Object.assign(snapshot, { [key]: values[i] }));
  // No events are asked for where the service is missing: the check then says why, not "could not be read".
  if (!snapshot.wmserver?.value || snapshot.wmserver.value.query.services.length === 0)
    delete snapshot.wmserverEvents;
  return snapshot;
}

/** The read-only local checks; on anything but Windows they all report "not available on this system". */
export async function runLocalChecks(
  runner: CommandRunner,
  context: AnalysisContext = {},
  platform: NodeJS.Platform = process.platform,
): Promise<Check[]> {
  if (platform !== 'win32') return unavailableChecks();
  return analyseWindows(await collectSnapshot(runner), context);
}
