// Recorded outputs around one real rule, "Disable Edge Updates" (an enabled outbound block rule), for the
// journal and elevation tests. "Updated 1 rule(s)." is a real netsh answer; the rule switched off is the real
// block with only its Enabled value changed (that state was never captured on its own).
import { parseNetshRules, type FirewallRule } from '../../netsh-rules';
import type { Recording } from '../../replay-runner';
import type { CommandSpec } from '../../runner';
import { fixtureText } from '../../test-support/fixtures';
import { planDisableBlockingRule } from '../catalogue';
import type { FixPlan } from '../types';

export const EDGE_RULE = 'Disable Edge Updates';

export const realUpdated = fixtureText('netsh-msg-updated-en-1.txt').split('\n').slice(1, 4).join('\n');

export function edgeRuleOutput(enabled: boolean): string {
  const text = fixtureText('netsh-transcript-show-set-en-2.txt');
  const first = text.slice(text.indexOf('\n    Rule Name:'), text.indexOf('Ok.') + 3);
  return enabled
    ? first
    : first.replace('Enabled:                              Yes', 'Enabled:                              No');
}

export const showEdge: CommandSpec = {
  file: 'netsh',
  args: ['advfirewall', 'firewall', 'show', 'rule', `name=${EDGE_RULE}`, 'dir=out', 'verbose'],
};

export const setEdge = (enable: boolean): CommandSpec => ({
  file: 'netsh',
  args: [
    'advfirewall',
    'firewall',
    'set',
    'rule',
    `name=${EDGE_RULE}`,
    'dir=out',
    'new',
    `enable=${enable ? 'yes' : 'no'}`,
  ],
});

export function edgePlan(): FixPlan {
  const rules: FirewallRule[] = parseNetshRules(edgeRuleOutput(true), { direction: 'out' }).rules;
  const planned = planDisableBlockingRule(rules[0] as FirewallRule, rules);
  if (!planned.ok) throw new Error(planned.reason);
  return planned.plan;
}

/** Switch off, read it off; switch back on, read it on. */
export function edgeRecordings(): Recording[] {
  return [
    { ...setEdge(false), exitCode: 0, stdout: realUpdated },
    { ...showEdge, exitCode: 0, stdout: edgeRuleOutput(false) },
    { ...setEdge(true), exitCode: 0, stdout: realUpdated },
    { ...showEdge, exitCode: 0, stdout: edgeRuleOutput(true) },
  ];
}
