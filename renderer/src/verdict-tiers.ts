// How the tiers look once there is a verdict: which checks matter to it, what colour each tier takes, and
// which tiers open by themselves. Pure, so the rule is written once and tested.
//
// The rule: under a verdict that found a working address, a check about another way in (another protocol,
// another port) does not matter — MMS failing is the very reason the verdict points at RTSP. Such checks keep
// their own status on their row, but they do not colour their tier, and a tier opens by itself only for a
// failure that matters. Under every other verdict each check matters.
import type { Check, DiagnosisReport, Tier } from '../../electron/ipc/contract';
import { ROUTE_OF_SCHEME, WELL_KNOWN_PORT } from '../../electron/common/protocols';
import { PLAYABLE_VERDICTS, type RouteName } from '../../electron/common/report';
import type { StreamScheme } from '../../electron/common/target';
import { isDone, TIERS, type CheckState, type CheckView, type RunView } from './run-state';

export type TierTone = 'good' | 'warn' | 'bad' | 'neutral';

type Route = RouteName;

function routeOfScheme(scheme: string): Route | null {
  const s = scheme.toLowerCase();
  return Object.hasOwn(ROUTE_OF_SCHEME, s) ? ROUTE_OF_SCHEME[s as StreamScheme] : null;
}

/** The port an address of this scheme uses when it names none. */
function defaultPort(scheme: string): number {
  const route = routeOfScheme(scheme);
  if (scheme.toLowerCase() === 'https') return WELL_KNOWN_PORT.https;
  return route ? WELL_KNOWN_PORT[route] : WELL_KNOWN_PORT.http;
}

interface WorkingWay {
  route: Route;
  port: number;
}

/** The protocol and port of the address that works, or null when the verdict found none. */
export function workingWay(report: DiagnosisReport): WorkingWay | null {
  if (!PLAYABLE_VERDICTS.has(report.verdict.code)) return null;
  const suggested = report.verdict.suggestedUrl;
  if (!suggested) {
    const route = routeOfScheme(report.target.scheme);
    return route ? { route, port: report.target.port } : null;
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/i.exec(suggested);
  const route = match ? routeOfScheme(match[1] ?? '') : null;
  if (!match || !route) return null;
  return { route, port: match[2] ? Number(match[2]) : defaultPort(match[1] ?? '') };
}

/**
 * Whether a check bears on the verdict (see the rule at the top of this file). What a check is about comes from
 * its scope in the report (electron/common/report.ts), never from its id; a check without one always matters.
 */
export function mattersToVerdict(check: Pick<Check, 'id'>, report: DiagnosisReport): boolean {
  const way = workingWay(report);
  if (!way) return true;
  const scope = report.checks.find((c) => c.id === check.id)?.scope;
  if (!scope) return true;
  if (scope.route !== undefined && scope.route !== way.route) return false;
  return scope.port === undefined || scope.port === way.port;
}

export interface TierSummary {
  tone: TierTone;
  total: number;
  done: number;
  /** Failures that matter to the verdict (or every failure while there is none). */
  failed: number;
  /** Failures and warnings of checks the verdict's working address does not need. */
  notNeeded: number;
  /** Checks that could not run (status error): unknown, so neither good nor a finding. */
  couldNotCheck: number;
  toNote: number;
  passed: number;
  skipped: number;
  stopped: number;
}

// A check that could not run ('error') is unknown, not a failure: it neither opens its tier nor turns it red.
const FAILED: ReadonlySet<CheckState> = new Set(['fail']);

export function summarizeTier(
  checks: readonly CheckView[],
  tier: Tier,
  report: DiagnosisReport | null,
): TierSummary {
  const inTier = checks.filter((c) => c.tier === tier);
  const matters = (c: CheckView): boolean => report === null || mattersToVerdict(c, report);
  const count = (test: (c: CheckView) => boolean): number => inTier.filter(test).length;
  const summary = {
    total: inTier.length,
    done: count((c) => isDone(c.state)),
    failed: count((c) => FAILED.has(c.state) && matters(c)),
    notNeeded: count((c) => (FAILED.has(c.state) || c.state === 'warn') && !matters(c)),
    couldNotCheck: count((c) => c.state === 'error'),
    toNote: count((c) => c.state === 'warn' && matters(c)),
    passed: count((c) => c.state === 'pass'),
    skipped: count((c) => c.state === 'skip'),
    stopped: count((c) => c.state === 'cancelled'),
  };
  const tone: TierTone =
    summary.failed > 0
      ? 'bad'
      : summary.toNote > 0 || summary.couldNotCheck > 0
        ? 'warn'
        : summary.passed > 0 && summary.done === summary.total
          ? 'good'
          : 'neutral';
  return { ...summary, tone };
}

/**
 * Which tiers are open once the run is over: the ones with a failure that matters to the verdict (or, when
 * nothing failed under a verdict that found no working address, a warning that matters), and every tier down
 * to the one IT staff asked for. Everything else starts closed: the verdict comes first.
 */
export function tiersToOpen(run: RunView, requested: Tier | null): Tier[] {
  const open = new Set<Tier>(requested ? TIERS.slice(0, TIERS.indexOf(requested) + 1) : []);
  const report = run.report;
  if (!report) {
    open.add('simple');
    return TIERS.filter((t) => open.has(t));
  }
  const withState = (states: ReadonlySet<CheckState>): Tier[] =>
    TIERS.filter((tier) =>
      run.checks.some((c) => c.tier === tier && states.has(c.state) && mattersToVerdict(c, report)),
    );
  let tiers = withState(FAILED);
  if (tiers.length === 0 && !PLAYABLE_VERDICTS.has(report.verdict.code)) tiers = withState(new Set(['warn']));
  for (const tier of tiers) open.add(tier);
  return TIERS.filter((t) => open.has(t));
}
