// Which fixes fit what the read-only checks found. Pure: from the snapshot to plans (shown to the user,
// applied only on consent) and to the reasons a fix is not offered.
import { evaluateTraffic, type Traffic } from '../firewall-analysis';
import { playerOutboundTraffic, wmserverOf, type AnalysisContext, type WindowsSnapshot } from '../checks';
import type { FirewallRule } from '../netsh-rules';
import {
  planAddStreamingRule,
  planDisableBlockingRule,
  planEnableAllowRule,
  planStartWmserver,
  WMS_RULE_NAME,
  type PlanResult,
} from './catalogue';

/** Plans for the problems the snapshot shows; each result is a plan or the reason none is offered. */
export function proposeFixes(snapshot: WindowsSnapshot, context: AnalysisContext = {}): PlanResult[] {
  const proposals: PlanResult[] = [];
  const rules = snapshot.rules?.value ?? null;
  const profiles = snapshot.profiles?.value ?? [];
  const active = snapshot.activeProfiles?.value ?? undefined;
  const { service } = wmserverOf(snapshot);

  if (rules) {
    // Client side: enabled rules that surely block Windows Media Player from reaching the server.
    const blocking = new Set<FirewallRule>();
    for (const traffic of playerOutboundTraffic(context)) {
      for (const verdict of evaluateTraffic(rules, traffic, profiles, active)) {
        for (const match of verdict.blocking) if (match.applicability === 'applies') blocking.add(match.rule);
      }
    }
    for (const rule of blocking) proposals.push(planDisableBlockingRule(rule, rules));

    if (service) {
      // Server side: the streaming rule, or an existing but disabled allow rule for 1755.
      const existing = rules.filter((rule) => rule.name.toLowerCase() === WMS_RULE_NAME.toLowerCase());
      const in1755: Traffic = { protocol: 'TCP', port: 1755, direction: 'in', program: null };
      const verdicts = evaluateTraffic(rules, in1755, profiles, active);
      if (verdicts.some((verdict) => verdict.outcome === 'default-block' || verdict.outcome === 'blocked')) {
        const disabledAllow = rules.filter(
          (rule) =>
            rule.enabled === false &&
            rule.action === 'allow' &&
            rule.direction === 'in' &&
            evaluateTraffic([{ ...rule, enabled: true }], in1755, profiles, active).some(
              (verdict) => verdict.outcome === 'allowed',
            ),
        );
        for (const rule of disabledAllow) proposals.push(planEnableAllowRule(rule, rules));
        if (disabledAllow.length === 0) proposals.push(planAddStreamingRule(existing));
      }
    }
  }
  if (service && (service.state !== 'running' || service.startType !== 'auto')) {
    proposals.push(planStartWmserver(service));
  }
  return proposals;
}
