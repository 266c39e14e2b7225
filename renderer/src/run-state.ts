// What the wizard knows about one run, rebuilt from the events main sends. Pure: the store calls
// applyRunEvent for every event and React renders the result.
import type {
  Check,
  CheckStatus,
  DiagnosisReport,
  RunEvent,
  StillWaitingEvent,
  Tier,
} from '../../electron/ipc/contract';

export type CheckState = 'pending' | 'running' | 'cancelled' | CheckStatus;

export interface CheckView {
  id: string;
  tier: Tier;
  title: string;
  state: CheckState;
  startedAt: number | null;
  finishedAt: number | null;
  check: Check | null;
}

export type RunPhase = 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

export interface RunView {
  runId: string;
  url: string;
  phase: RunPhase;
  startedAt: number;
  finishedAt: number | null;
  checks: CheckView[];
  report: DiagnosisReport | null;
  failure: string | null;
  /** How full the progress bar is, 0 to 1. Never decreases, even when checks nobody announced turn up. */
  barFraction: number;
  /** No port has answered yet (said about a second into the run); cleared by the first answer. */
  waiting: StillWaitingEvent | null;
}

export const TIERS: readonly Tier[] = ['simple', 'moderate', 'advanced'];

export function newRun(runId: string, url: string, now: number): RunView {
  return {
    runId,
    url,
    phase: 'running',
    startedAt: now,
    finishedAt: null,
    checks: [],
    report: null,
    failure: null,
    barFraction: 0,
    waiting: null,
  };
}

const DONE: ReadonlySet<CheckState> = new Set(['pass', 'warn', 'fail', 'skip', 'error', 'cancelled']);

/** A probe that ended like this heard from the host (or a router on the way): it is no longer silent. */
const ANSWERED: ReadonlySet<string> = new Set(['open', 'refused', 'unreachable']);

export function isDone(state: CheckState): boolean {
  return DONE.has(state);
}

function finishedView(check: Check, previous: CheckView | undefined, now: number): CheckView {
  return {
    id: check.id,
    tier: check.tier,
    title: check.title,
    state: check.status,
    startedAt: previous?.startedAt ?? null,
    finishedAt: previous?.finishedAt && previous.check ? previous.finishedAt : now,
    check,
  };
}

function upsert(checks: CheckView[], next: CheckView): CheckView[] {
  const index = checks.findIndex((c) => c.id === next.id);
  if (index < 0) return [...checks, next];
  const copy = checks.slice();
  copy[index] = next;
  return copy;
}

export function applyRunEvent(run: RunView, event: RunEvent, now: number): RunView {
  const next = reduceRunEvent(run, event, now);
  if (next === run) return run;
  const { done, total } = progressOf(next);
  const ended = next.phase === 'finished' || next.phase === 'cancelled' || next.phase === 'failed';
  // The bar only ever moves forward: a check list that grows mid-run (Windows checks announced late) lowers
  // done/total, and a bar that slides back reads as "it got worse".
  const fraction = ended ? 1 : total === 0 ? 0 : done / total;
  return { ...next, barFraction: Math.min(1, Math.max(run.barFraction, fraction)) };
}

function reduceRunEvent(run: RunView, event: RunEvent, now: number): RunView {
  switch (event.type) {
    case 'run-started': {
      const announced = event.checks.map(
        (heading): CheckView =>
          run.checks.find((c) => c.id === heading.id) ?? {
            ...heading,
            state: 'pending',
            startedAt: null,
            finishedAt: null,
            check: null,
          },
      );
      // A check that reported before the list arrived stays: dropping it would undo finished work.
      const early = run.checks.filter((c) => !event.checks.some((h) => h.id === c.id));
      return { ...run, checks: [...announced, ...early] };
    }
    case 'check-started': {
      const existing = run.checks.find((c) => c.id === event.id);
      if (existing && existing.state !== 'pending') return run;
      return {
        ...run,
        checks: upsert(run.checks, {
          id: event.id,
          tier: event.tier,
          title: event.title,
          state: 'running',
          startedAt: now,
          finishedAt: null,
          check: null,
        }),
      };
    }
    case 'check-finished': {
      const view = finishedView(
        event.check,
        run.checks.find((c) => c.id === event.check.id),
        now,
      );
      // Probes stopped by Cancel end as failures; they are not findings, so they read as cancelled. A pass is
      // still a finding (stopping cannot make a port answer), so it stays.
      const stopped = run.phase === 'cancelling' && view.state !== 'pass';
      return { ...run, checks: upsert(run.checks, stopped ? { ...view, state: 'cancelled' } : view) };
    }
    case 'still-waiting':
      return { ...run, waiting: event };
    case 'probe-finished':
      return run.waiting && ANSWERED.has(event.probe.reachability) ? { ...run, waiting: null } : run;
    case 'run-finished': {
      // The report is the truth; the order of its checks is the order people read them in.
      const checks = event.report.checks.map((check) =>
        finishedView(
          check,
          run.checks.find((c) => c.id === check.id),
          now,
        ),
      );
      return { ...run, phase: 'finished', finishedAt: now, report: event.report, checks };
    }
    case 'run-cancelled':
      return {
        ...run,
        phase: 'cancelled',
        finishedAt: now,
        checks: run.checks.map((c) => (isDone(c.state) ? c : { ...c, state: 'cancelled', finishedAt: now })),
      };
    case 'run-failed':
      return {
        ...run,
        phase: 'failed',
        failure: event.message,
        finishedAt: now,
        checks: run.checks.map((c) => (isDone(c.state) ? c : { ...c, state: 'cancelled', finishedAt: now })),
      };
    default:
      return run;
  }
}

export interface Progress {
  done: number;
  total: number;
}

export function progressOf(run: RunView): Progress {
  return { done: run.checks.filter((c) => isDone(c.state)).length, total: run.checks.length };
}
