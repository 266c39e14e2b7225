// The fix catalogue. `buildPlan` is the one place commands come from: from typed facts (a fresh reading, or a
// journal entry) to the exact commands, the state to verify afterwards, and the commands that restore the
// prior state — every value through the argument validators, every time. The `plan…` functions turn what the
// read-only checks found into facts, and refuse (with a reason) whenever undo could not be exact.
import {
  checkDirection,
  checkPort,
  checkProtocol,
  checkRuleName,
  checkServiceName,
  UnsafeArgumentError,
  type PortProtocol,
  type RuleDirection,
} from '../arguments';
import { displayCommand, encodePowerShell } from '../command-line';
import type { FirewallRule } from '../netsh-rules';
import type { CommandSpec } from '../runner';
import type { ServiceInfo } from '../sc';
import {
  APP_RULE_GROUP,
  type Expectation,
  type FixCommand,
  type FixFacts,
  type FixId,
  type FixPlan,
  type PlanResult,
  type ServiceStateFact,
  type StartTypeFact,
} from './types';

export type { PlanResult } from './types';

export const WMS_RULE_NAME = 'WMS Streaming (1755)';
const MMS_PORT = checkPort(1755);
/** netsh addresses every rule of a name and direction at once; more than this many is not a fix we offer. */
const MAX_SAME_NAME_RULES = 64;

/** The one way a command is made: the display is rendered from the spec, and both are frozen. */
function command(file: string, args: readonly string[]): FixCommand {
  const spec: CommandSpec = Object.freeze({ file, args: Object.freeze([...args]) });
  return Object.freeze({ spec, display: displayCommand(spec) });
}

const netsh = (...args: string[]): FixCommand => command('netsh', ['advfirewall', 'firewall', ...args]);
const sc = (...args: string[]): FixCommand => command('sc', args);
const powershell = (script: string): FixCommand =>
  command('powershell', ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodePowerShell(script)]);

/** netsh cannot set a rule's group; the firewall's COM API can (INetFwRule.Grouping), on every Windows since Vista. */
function setGroupScript(name: string, direction: RuleDirection): string {
  const safeName = checkRuleName(name);
  // COM direction: NET_FW_RULE_DIR_IN = 1, NET_FW_RULE_DIR_OUT = 2.
  const comDirection = direction === 'in' ? 1 : 2;
  return [
    '$ErrorActionPreference = "Stop"',
    '$policy = New-Object -ComObject HNetCfg.FwPolicy2',
    '$found = 0',
    `foreach ($rule in $policy.Rules) { if ($rule.Name -eq '${safeName}' -and $rule.Direction -eq ${comDirection}) { $rule.Grouping = '${APP_RULE_GROUP}'; $found++ } }`,
    'if ($found -eq 0) { exit 2 }',
  ].join('\n');
}

function checkProtocols(value: unknown): PortProtocol[] {
  const list = Array.isArray(value) ? value.map(checkProtocol) : [];
  if (list.length === 0 || new Set(list).size !== list.length) {
    throw new UnsafeArgumentError('protocols', value, 'TCP and/or UDP, each once');
  }
  return list;
}

function checkRuleCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SAME_NAME_RULES) {
    throw new UnsafeArgumentError('rule count', value, `a whole number from 1 to ${MAX_SAME_NAME_RULES}`);
  }
  return value;
}

function checkFact<T extends string>(kind: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UnsafeArgumentError(kind, value, allowed.join(' or '));
}

function addStreamingRuleCommands(protocols: readonly PortProtocol[]): FixCommand[] {
  const name = checkRuleName(WMS_RULE_NAME);
  const common = ['dir=in', 'action=allow', `localport=${MMS_PORT}`, 'profile=any', 'enable=yes'];
  return [
    ...protocols.map((protocol) => netsh('add', 'rule', `name=${name}`, ...common, `protocol=${protocol}`)),
    powershell(setGroupScript(name, 'in')),
  ];
}

function wmsRulePresent(protocols: readonly PortProtocol[]): Expectation {
  return {
    kind: 'rules',
    name: WMS_RULE_NAME,
    direction: 'in',
    count: protocols.length,
    enabled: true,
    protocols: [...protocols],
    localPort: String(MMS_PORT),
    group: APP_RULE_GROUP,
  };
}

const wmsRuleAbsent: Expectation = { kind: 'rules', name: WMS_RULE_NAME, direction: 'in', count: 0 };
const deleteWmsRule = (): FixCommand => netsh('delete', 'rule', `name=${WMS_RULE_NAME}`, 'dir=in');

const SERVICE_START_WORD: Record<StartTypeFact, string> = {
  auto: 'auto',
  demand: 'demand',
  disabled: 'disabled',
};

type Builder<K extends FixId> = (facts: Extract<FixFacts, { fixId: K }>) => Omit<FixPlan, 'fixId' | 'facts'>;

function toggleRule(
  facts: Extract<FixFacts, { fixId: 'disable-blocking-rule' | 'enable-allow-rule' }>,
  enable: boolean,
): Omit<FixPlan, 'fixId' | 'facts'> {
  const name = checkRuleName(facts.ruleName);
  const direction = checkDirection(facts.direction);
  const count = checkRuleCount(facts.count);
  const set = (on: boolean) =>
    netsh('set', 'rule', `name=${name}`, `dir=${direction}`, 'new', `enable=${on ? 'yes' : 'no'}`);
  const expectation = (enabled: boolean): Expectation => ({ kind: 'rules', name, direction, count, enabled });
  const action = enable ? 'allow' : 'block';
  return {
    title: `${enable ? 'Enable' : 'Disable'} the ${direction === 'in' ? 'inbound' : 'outbound'} ${action} rule "${name}"`,
    explanation: enable
      ? 'The rule allows the streaming traffic but is switched off.'
      : 'The rule blocks the streaming traffic. Disabling keeps it, so it can be switched back on.',
    needsAdmin: true,
    commands: [set(enable)],
    expect: [expectation(enable)],
    undo: [set(!enable)],
    undoExpect: [expectation(!enable)],
  };
}

/** One builder per fix: a registry, so a fix id no builder knows cannot be built at all. */
const BUILDERS: { [K in FixId]: Builder<K> } = {
  'add-wms-streaming-rule': (facts) => {
    const protocols = checkProtocols(facts.protocols);
    return {
      title: `Add the inbound "${WMS_RULE_NAME}" rule (${protocols.join(' and ')} ${MMS_PORT}, all profiles)`,
      explanation:
        'Players reach Windows Media Services on port 1755 (MMS). Windows Firewall blocks incoming connections without an allow rule.',
      needsAdmin: true,
      commands: addStreamingRuleCommands(protocols),
      expect: [wmsRulePresent(protocols)],
      undo: [deleteWmsRule()],
      undoExpect: [wmsRuleAbsent],
    };
  },
  'remove-app-rules': (facts) => {
    const protocols = checkProtocols(facts.protocols);
    return {
      title: `Remove the rules of the group "${APP_RULE_GROUP}"`,
      explanation: 'Removes every firewall rule the app created.',
      needsAdmin: true,
      commands: [deleteWmsRule()],
      expect: [wmsRuleAbsent],
      undo: addStreamingRuleCommands(protocols),
      undoExpect: [wmsRulePresent(protocols)],
    };
  },
  'disable-blocking-rule': (facts) => toggleRule(facts, false),
  'enable-allow-rule': (facts) => toggleRule(facts, true),
  'start-wmserver-automatic': (facts) => {
    const name = checkServiceName(facts.service);
    if (name !== 'WMServer') throw new UnsafeArgumentError('service name', facts.service, 'only WMServer');
    const before = (facts.before ?? {}) as { state?: unknown; startType?: unknown };
    const state = checkFact<ServiceStateFact>('service state', before.state, ['running', 'stopped']);
    const startType = checkFact<StartTypeFact>('start type', before.startType, [
      'auto',
      'demand',
      'disabled',
    ]);
    const commands: FixCommand[] = [];
    const undo: FixCommand[] = [];
    if (startType !== 'auto') {
      // sc wants "start=" and its value as two arguments.
      commands.push(sc('config', name, 'start=', 'auto'));
      undo.push(sc('config', name, 'start=', SERVICE_START_WORD[startType]));
    }
    if (state !== 'running') {
      commands.push(sc('start', name));
      undo.unshift(sc('stop', name));
    }
    if (commands.length === 0) {
      throw new UnsafeArgumentError('service state', before, 'already running and starting automatically');
    }
    return {
      title: 'Start Windows Media Services and set it to start automatically',
      explanation: 'Players get no answer on 1755 or 554 while WMServer is stopped.',
      needsAdmin: true,
      commands,
      expect: [{ kind: 'service', service: name, state: 'running', startType: 'auto' }],
      undo,
      undoExpect: [{ kind: 'service', service: name, state, startType }],
    };
  },
  'restart-wmserver': (facts) => {
    const name = checkServiceName(facts.service);
    if (name !== 'WMServer') throw new UnsafeArgumentError('service name', facts.service, 'only WMServer');
    return {
      title: 'Restart Windows Media Services',
      explanation: 'A restart reloads the publishing points and releases ports held by a stuck service.',
      needsAdmin: true,
      // Restart-Service waits for the stop to finish; `sc stop` then `sc start` would race (error 1056).
      commands: [powershell(`Restart-Service -Name ${name} -Force`)],
      expect: [{ kind: 'service', service: name, state: 'running' }],
      // Nothing to restore: the service ends in the state it was in.
      undo: [],
      undoExpect: [],
    };
  },
};

/**
 * The plan for a set of facts — a fresh fix's, or a journal entry's after its schema check. Every value goes
 * through the validators again; anything they refuse is a reason, never a command.
 */
export function buildPlan(facts: FixFacts): PlanResult {
  const fixId: unknown = facts.fixId;
  if (typeof fixId !== 'string' || !Object.hasOwn(BUILDERS, fixId)) {
    return { ok: false, reason: `"${String(fixId)}" is not a fix this version knows.` };
  }
  const build = BUILDERS[fixId as FixId] as Builder<FixId>;
  try {
    return { ok: true, plan: { fixId: fixId as FixId, facts, ...build(facts) } };
  } catch (error) {
    if (error instanceof UnsafeArgumentError) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Server side: the inbound "WMS Streaming (1755)" rule, TCP and UDP, all profiles, in the app's group.
 * `existing` is what `show rule name="WMS Streaming (1755)" dir=in` listed before.
 */
export function planAddStreamingRule(existing: readonly FirewallRule[]): PlanResult {
  if (existing.length > 0) {
    return {
      ok: false,
      reason: `A rule named "${WMS_RULE_NAME}" already exists; enable or remove it instead.`,
    };
  }
  return buildPlan({ fixId: 'add-wms-streaming-rule', protocols: ['TCP', 'UDP'] });
}

/** The rules netsh addresses with `name=… dir=…`: every rule of that name (case-insensitive) and direction. */
function sameNameRules(rule: FirewallRule, all: readonly FirewallRule[]): FirewallRule[] {
  const name = rule.name.toLowerCase();
  return all.filter((other) => other.name.toLowerCase() === name && other.direction === rule.direction);
}

function planToggle(
  rule: FirewallRule,
  all: readonly FirewallRule[],
  target: {
    fixId: 'disable-blocking-rule' | 'enable-allow-rule';
    action: 'block' | 'allow';
    enable: boolean;
  },
): PlanResult {
  if (rule.action !== target.action)
    return { ok: false, reason: `"${rule.name}" is not a ${target.action} rule.` };
  if (rule.direction === null) return { ok: false, reason: `The direction of "${rule.name}" is not known.` };
  try {
    checkRuleName(rule.name);
  } catch {
    return {
      ok: false,
      reason: `"${rule.name}" has characters the app does not pass to netsh; change it in "Windows Defender Firewall with Advanced Security" (wf.msc).`,
    };
  }
  const group = sameNameRules(rule, all);
  // netsh changes every rule of that name and direction at once: undo is exact only if they all share a state.
  if (group.some((other) => other.enabled !== !target.enable)) {
    return {
      ok: false,
      reason: `Several "${rule.name}" rules exist in different states; netsh would change them all, so the change could not be undone exactly.`,
    };
  }
  return buildPlan({
    fixId: target.fixId,
    ruleName: rule.name,
    direction: rule.direction,
    count: group.length,
  });
}

/** Client side: switch off an enabled block rule (kept, so undo switches it back on). */
export function planDisableBlockingRule(rule: FirewallRule, all: readonly FirewallRule[]): PlanResult {
  if (rule.enabled !== true) return { ok: false, reason: `"${rule.name}" is not enabled.` };
  return planToggle(rule, all, { fixId: 'disable-blocking-rule', action: 'block', enable: false });
}

export function planEnableAllowRule(rule: FirewallRule, all: readonly FirewallRule[]): PlanResult {
  if (rule.enabled !== false) return { ok: false, reason: `"${rule.name}" is not disabled.` };
  return planToggle(rule, all, { fixId: 'enable-allow-rule', action: 'allow', enable: true });
}

const isStateFact = (value: unknown): value is ServiceStateFact => value === 'running' || value === 'stopped';
const isStartTypeFact = (value: unknown): value is StartTypeFact =>
  value === 'auto' || value === 'demand' || value === 'disabled';

/** `sc query` + `sc qc` of WMServer, merged; null when not installed. */
export function planStartWmserver(service: ServiceInfo | null): PlanResult {
  if (!service) return { ok: false, reason: 'Windows Media Services is not installed.' };
  const { state, startType } = service;
  // Only a settled state can be restored exactly (not START_PENDING, not a boot driver's start type).
  if (!isStateFact(state) || !isStartTypeFact(startType)) {
    return { ok: false, reason: 'The current state of WMServer is not known, so it could not be restored.' };
  }
  if (state === 'running' && startType === 'auto')
    return { ok: false, reason: 'WMServer is already running and starts automatically.' };
  return buildPlan({ fixId: 'start-wmserver-automatic', service: 'WMServer', before: { state, startType } });
}

export function planRestartWmserver(service: ServiceInfo | null): PlanResult {
  if (!service) return { ok: false, reason: 'Windows Media Services is not installed.' };
  if (service.state !== 'running') return { ok: false, reason: 'WMServer is not running; start it instead.' };
  return buildPlan({ fixId: 'restart-wmserver', service: 'WMServer' });
}

const areWmsStreamingRules = (rules: readonly FirewallRule[]): boolean =>
  rules.every(
    (rule) => rule.name === WMS_RULE_NAME && rule.direction === 'in' && rule.localPorts.join() === '1755',
  );

/** Every rule of the app's group; undo re-creates them (the app creates only the WMS streaming rule). */
export function planRemoveAppRules(all: readonly FirewallRule[]): PlanResult {
  const ours = all.filter((rule) => rule.grouping === APP_RULE_GROUP);
  if (ours.length === 0) return { ok: false, reason: `No rule of the group "${APP_RULE_GROUP}" was found.` };
  const protocols = ours.flatMap((rule): PortProtocol[] =>
    rule.protocol === 'TCP' || rule.protocol === 'UDP' ? [rule.protocol] : [],
  );
  const recreatable =
    protocols.length === ours.length &&
    new Set(protocols).size === protocols.length &&
    areWmsStreamingRules(ours);
  if (!recreatable) {
    return {
      ok: false,
      reason: `The group "${APP_RULE_GROUP}" holds rules the app did not create; remove them in wf.msc.`,
    };
  }
  return buildPlan({ fixId: 'remove-app-rules', protocols });
}
