// Fix policy: which fixes to offer for what the read-only checks found, which checks each fix answers, and
// how a fix reads to a person. Pure. `offerFixes` is the one entry point the app's orchestrator calls; the
// plans stay with the caller (to apply on consent), the offers go to the screen.
import { playerOutboundTraffic, WINDOWS_CHECKS, type AnalysisContext, type WindowsSnapshot } from '../checks';
import { ruleApplies } from '../firewall-analysis';
import type { FirewallRule } from '../netsh-rules';
import type { ProfileWord } from '../netsh-words';
import { planDisableBlockingRule } from './catalogue';
import { proposeFixes } from './propose';
import type { Expectation, FixId, FixOffer, FixPlan, PlanResult } from './types';

const PROFILES: readonly ProfileWord[] = ['domain', 'private', 'public'];

/** The checks that read differently once a fix of that kind is applied; they run again after Apply/Undo. */
export const CHECKS_OF_FIX: Record<FixId, readonly string[]> = {
  'disable-blocking-rule': [WINDOWS_CHECKS.firewallClient.id],
  'enable-allow-rule': [WINDOWS_CHECKS.firewallServer.id],
  'add-wms-streaming-rule': [WINDOWS_CHECKS.firewallServer.id],
  'remove-app-rules': [WINDOWS_CHECKS.firewallServer.id],
  'start-wmserver-automatic': [WINDOWS_CHECKS.wmserver.id],
  'restart-wmserver': [WINDOWS_CHECKS.wmserver.id],
};

export interface PlannedOffer {
  plan: FixPlan;
  /** Why the fix may not apply; empty when the checks are sure. */
  doubts: string[];
}

/**
 * The Windows layer's proposals (rules that surely block, the server-side rule, the service), plus a fix
 * for each enabled outbound block rule that only MAY stop Windows Media Player — its program or addresses
 * are not known for sure — planned by the same catalogue and offered with that doubt spelled out.
 */
export function fixPlans(
  rules: readonly FirewallRule[] | null,
  propose: () => PlanResult[],
  context: AnalysisContext,
): PlannedOffer[] {
  const result: PlannedOffer[] = [];
  for (const proposal of propose()) if (proposal.ok) result.push({ plan: proposal.plan, doubts: [] });
  if (!rules) return result;
  const covered = new Set(result.map(({ plan }) => plan.title));
  const traffic = playerOutboundTraffic(context);
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.enabled !== true || rule.action !== 'block' || rule.direction !== 'out') continue;
    if (seen.has(rule.name.toLowerCase())) continue;
    seen.add(rule.name.toLowerCase());
    const matches = traffic
      .flatMap((t) => PROFILES.map((profile) => ruleApplies(rule, t, profile)))
      .filter((m) => m !== null);
    if (matches.length === 0) continue;
    const planned = planDisableBlockingRule(rule, rules);
    if (!planned.ok || covered.has(planned.plan.title)) continue;
    const doubts = [...new Set(matches.flatMap((m) => m.doubts))];
    result.push({
      plan: planned.plan,
      doubts: doubts.length > 0 ? doubts : ['it may not apply to every profile'],
    });
  }
  return result;
}

/** Every fix for a snapshot: the plans (kept by the caller, applied on consent) with their offers. */
export function offerFixes(
  snapshot: WindowsSnapshot,
  context: AnalysisContext = {},
): Array<{ plan: FixPlan; offer: FixOffer }> {
  return fixPlans(snapshot.rules?.value ?? null, () => proposeFixes(snapshot, context), context).map(
    ({ plan, doubts }) => ({ plan, offer: describeFix(plan, doubts) }),
  );
}

export function describeFix(plan: FixPlan, doubts: readonly string[]): FixOffer {
  return {
    id: `${plan.fixId}:${plan.title}`,
    title: plan.title,
    description: plan.explanation,
    needsAdmin: plan.needsAdmin,
    changes: plan.expect.map(describeExpectation),
    commands: plan.commands.map((command) => command.display),
    undoCommands: plan.undo.map((command) => command.display),
    checkIds: [...CHECKS_OF_FIX[plan.fixId]],
    doubt:
      doubts.length > 0
        ? `This rule may not be the one in the way (${doubts.join('; ')}): if it is meant for another program, leave it on.`
        : null,
  };
}

const SERVICE_STATE_WORDS: Record<NonNullable<Extract<Expectation, { kind: 'service' }>['state']>, string> = {
  running: 'running',
  stopped: 'stopped',
};
const START_TYPE_WORDS: Record<
  NonNullable<Extract<Expectation, { kind: 'service' }>['startType']>,
  string
> = {
  auto: 'starts automatically',
  demand: 'starts on demand',
  disabled: 'starts never',
};
const DIRECTION_WORDS = { in: 'inbound', out: 'outbound' } as const;

/** How an expectation reads: one line of "What will change". */
export function describeExpectation(expectation: Expectation): string {
  if (expectation.kind === 'service') {
    const parts = [
      expectation.state ? SERVICE_STATE_WORDS[expectation.state] : null,
      expectation.startType ? START_TYPE_WORDS[expectation.startType] : null,
    ].filter((part) => part !== null);
    return `Windows Media Services (WMServer): ${parts.join(', ')}`;
  }
  const rule = `Windows Firewall ${DIRECTION_WORDS[expectation.direction]} rule “${expectation.name}”`;
  if (expectation.count === 0) return `${rule}: removed`;
  const several = expectation.count > 1 ? ` (${expectation.count} rules of that name)` : '';
  if (expectation.protocols) {
    const port = expectation.localPort ? ` port ${expectation.localPort}` : '';
    const group = expectation.group ? `, group “${expectation.group}”` : '';
    return `${rule}${several}: present — ${expectation.protocols.join(' and ')}${port}${group}, enabled`;
  }
  return `${rule}${several}: ${expectation.enabled ? 'enabled' : 'disabled'}`;
}
