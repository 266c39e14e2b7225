// The fix catalogue. Each planner is pure: from the state read before (parsed command outputs) to the exact
// commands it will run, the state to verify afterwards, and the commands that restore the prior state.
// A planner refuses (with a reason) whenever it could not undo exactly what it changes.
import { checkPort, checkRuleName, checkServiceName } from '../arguments';
import { displayCommand, encodePowerShell } from '../local';
import type { FirewallRule } from '../netsh-rules';
import type { CommandSpec } from '../runner';
import type { ServiceInfo, StartType } from '../sc';
import { APP_RULE_GROUP, type Expectation, type FixCommand, type FixPlan } from './types';

export type PlanResult = { ok: true; plan: FixPlan } | { ok: false; reason: string };

export const WMS_RULE_NAME = 'WMS Streaming (1755)';
const MMS_PORT = checkPort(1755);

const netsh = (...args: string[]): FixCommand => {
  const spec: CommandSpec = { file: 'netsh', args: ['advfirewall', 'firewall', ...args] };
  return { spec, display: displayCommand(spec) };
};

const sc = (...args: string[]): FixCommand => {
  const spec: CommandSpec = { file: 'sc', args };
  return { spec, display: displayCommand(spec) };
};

const powershell = (script: string): FixCommand => ({
  spec: {
    file: 'powershell',
    args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodePowerShell(script)],
  },
  display: `powershell -NoProfile -Command "${script.replace(/\n/g, '; ')}"`,
});

/** netsh cannot set a rule's group; the firewall's COM API can (INetFwRule.Grouping), on every Windows since Vista. */
function setGroupScript(name: string, direction: 'in' | 'out'): string {
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

function addStreamingRuleCommands(protocols: readonly ('TCP' | 'UDP')[] = ['TCP', 'UDP']): FixCommand[] {
  const name = checkRuleName(WMS_RULE_NAME);
  const common = ['dir=in', 'action=allow', `localport=${MMS_PORT}`, 'profile=any', 'enable=yes'];
  return [
    ...protocols.map((protocol) => netsh('add', 'rule', `name=${name}`, ...common, `protocol=${protocol}`)),
    powershell(setGroupScript(name, 'in')),
  ];
}

function wmsRulePresent(protocols: readonly ('TCP' | 'UDP')[] = ['TCP', 'UDP']): Expectation {
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
  return {
    ok: true,
    plan: {
      fixId: 'add-wms-streaming-rule',
      title: `Add the inbound "${WMS_RULE_NAME}" rule (TCP and UDP 1755, all profiles)`,
      explanation:
        'Players reach Windows Media Services on port 1755 (MMS). Windows Firewall blocks incoming connections without an allow rule.',
      needsAdmin: true,
      commands: addStreamingRuleCommands(),
      expect: [wmsRulePresent()],
      undo: [netsh('delete', 'rule', `name=${WMS_RULE_NAME}`, 'dir=in')],
      undoExpect: [{ kind: 'rules', name: WMS_RULE_NAME, direction: 'in', count: 0 }],
    },
  };
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
  let name: string;
  try {
    name = checkRuleName(rule.name);
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
  const dir = `dir=${rule.direction}`;
  const set = (enable: boolean) =>
    netsh('set', 'rule', `name=${name}`, dir, 'new', `enable=${enable ? 'yes' : 'no'}`);
  const expectation = (enabled: boolean): Expectation => ({
    kind: 'rules',
    name: rule.name,
    direction: rule.direction as 'in' | 'out',
    count: group.length,
    enabled,
  });
  const verb = target.enable ? 'Enable' : 'Disable';
  return {
    ok: true,
    plan: {
      fixId: target.fixId,
      title: `${verb} the ${rule.direction === 'in' ? 'inbound' : 'outbound'} ${target.action} rule "${rule.name}"`,
      explanation: target.enable
        ? 'The rule allows the streaming traffic but is switched off.'
        : 'The rule blocks the streaming traffic. Disabling keeps it, so it can be switched back on.',
      needsAdmin: true,
      commands: [set(target.enable)],
      expect: [expectation(target.enable)],
      undo: [set(!target.enable)],
      undoExpect: [expectation(!target.enable)],
    },
  };
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

const SC_START: Record<StartType, string> = {
  auto: 'auto',
  demand: 'demand',
  disabled: 'disabled',
  boot: 'boot',
  system: 'system',
};

/** `sc query` + `sc qc` of WMServer, merged; null when not installed. */
export function planStartWmserver(service: ServiceInfo | null): PlanResult {
  if (!service) return { ok: false, reason: 'Windows Media Services is not installed.' };
  const name = checkServiceName('WMServer');
  if (service.startType === null || service.state === null) {
    return { ok: false, reason: 'The current state of WMServer is not known, so it could not be restored.' };
  }
  const commands: FixCommand[] = [];
  const undo: FixCommand[] = [];
  if (service.startType !== 'auto') {
    // sc wants "start=" and its value as two arguments.
    commands.push(sc('config', name, 'start=', 'auto'));
    undo.push(sc('config', name, 'start=', SC_START[service.startType]));
  }
  if (service.state !== 'running') {
    commands.push(sc('start', name));
    undo.unshift(sc('stop', name));
  }
  if (commands.length === 0)
    return { ok: false, reason: 'WMServer is already running and starts automatically.' };
  const prior: Expectation = { kind: 'service', service: 'WMServer' };
  if (service.state === 'running' || service.state === 'stopped') prior.state = service.state;
  if (service.startType === 'auto' || service.startType === 'demand' || service.startType === 'disabled') {
    prior.startType = service.startType;
  }
  return {
    ok: true,
    plan: {
      fixId: 'start-wmserver-automatic',
      title: 'Start Windows Media Services and set it to start automatically',
      explanation: 'Players get no answer on 1755 or 554 while WMServer is stopped.',
      needsAdmin: true,
      commands,
      expect: [{ kind: 'service', service: 'WMServer', state: 'running', startType: 'auto' }],
      undo,
      undoExpect: [prior],
    },
  };
}

export function planRestartWmserver(service: ServiceInfo | null): PlanResult {
  if (!service) return { ok: false, reason: 'Windows Media Services is not installed.' };
  if (service.state !== 'running') return { ok: false, reason: 'WMServer is not running; start it instead.' };
  const name = checkServiceName('WMServer');
  return {
    ok: true,
    plan: {
      fixId: 'restart-wmserver',
      title: 'Restart Windows Media Services',
      explanation: 'A restart reloads the publishing points and releases ports held by a stuck service.',
      needsAdmin: true,
      // Restart-Service waits for the stop to finish; `sc stop` then `sc start` would race (error 1056).
      commands: [powershell(`Restart-Service -Name ${name} -Force`)],
      expect: [{ kind: 'service', service: 'WMServer', state: 'running' }],
      // Nothing to restore: the service ends in the state it was in.
      undo: [],
      undoExpect: [],
    },
  };
}

const areWmsStreamingRules = (rules: readonly FirewallRule[]): boolean =>
  rules.every(
    (rule) => rule.name === WMS_RULE_NAME && rule.direction === 'in' && rule.localPorts.join() === '1755',
  );

/** Every rule of the app's group; undo re-creates them (the app creates only the WMS streaming rule). */
export function planRemoveAppRules(all: readonly FirewallRule[]): PlanResult {
  const ours = all.filter((rule) => rule.grouping === APP_RULE_GROUP);
  if (ours.length === 0) return { ok: false, reason: `No rule of the group "${APP_RULE_GROUP}" was found.` };
  const protocols = ours.flatMap((rule): ('TCP' | 'UDP')[] =>
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
  return {
    ok: true,
    plan: {
      fixId: 'remove-app-rules',
      title: `Remove the rules of the group "${APP_RULE_GROUP}"`,
      explanation: 'Removes every firewall rule the app created.',
      needsAdmin: true,
      commands: [netsh('delete', 'rule', `name=${WMS_RULE_NAME}`, 'dir=in')],
      expect: [{ kind: 'rules', name: WMS_RULE_NAME, direction: 'in', count: 0 }],
      undo: addStreamingRuleCommands(protocols),
      undoExpect: [wmsRulePresent(protocols)],
    },
  };
}
