// The one full run, for the CLI and the app alike: the network diagnosis, the read-only checks of this computer
// (Windows Firewall, services, listeners) and the fixes they found, announced together and finished together.
// Plain Node — no Electron, no IPC — so it runs under Vitest and in the headless CLI. The IPC handlers only
// validate, call this and wrap; the CLI only prints what it emits.
import type { Check, DiagnosisReport } from '../diagnosis/types';
import type { StreamTarget } from '../input/types';
import type { CheckHeading, DiagnosisEvent } from './events';
import type { CheckComparison, FullRunEvent, StillWaitingEvent } from '../common/run-events';
import { followDiagnosis } from './follow';
import { DiagnosisCancelled, type RunOptions, type ValidRequest } from './run-diagnosis';

export type { CheckComparison, FullRunEvent, StillWaitingEvent } from '../common/run-events';

/** When no port has answered this long after the probes went out, say so at once (a filtered host). */
export const STILL_WAITING_AFTER_MS = 1000;

/**
 * The checks of this computer, as the orchestrator needs them. The Windows layer implements it (the app's
 * WindowsPort satisfies it as is); `Fix` is whatever that layer proposes — the orchestrator only passes fixes on.
 */
export interface LocalChecks<Fix> {
  /** The checks `inspect` will report, announced when the run starts so the total never grows. */
  plan(target: StreamTarget): CheckHeading[];
  /** Read-only, stopped by the signal; never throws (a failed command is a check with status error or skip). */
  inspect(target: StreamTarget, signal: AbortSignal): Promise<LocalInspection<Fix>>;
}

export interface LocalInspection<Fix> {
  checks: Check[];
  fixes: Fix[];
}

/** The network part of a run: runDiagnosis, or a layer above it with the same contract. */
export type NetworkRun = (request: ValidRequest, options: RunOptions) => Promise<DiagnosisReport>;

export interface FullRunDeps<Fix> {
  /** Default: runNetwork (the address, its redirects and playlists followed). */
  network?: NetworkRun;
  local: LocalChecks<Fix>;
}

export interface FullRunOptions<Fix> {
  signal?: AbortSignal;
  onEvent?: (event: FullRunEvent) => void;
  /** Called once the local checks are in, before `run-finished`: whoever offers the fixes has them by then. */
  onLocalInspection?: (inspection: LocalInspection<Fix>) => void;
  /** For tests; default STILL_WAITING_AFTER_MS. */
  stillWaitingAfterMs?: number;
  /** For tests: replaces the system resolver. */
  lookup?: RunOptions['lookup'];
}

export interface FullRunResult<Fix> {
  /** The network report with the local checks after its own. */
  report: DiagnosisReport;
  localChecks: Check[];
  fixes: Fix[];
}

/**
 * The network call site: the one place that decides which network run the app and the CLI use — the diagnosis
 * of the address, with its redirects and playlists followed (follow.ts).
 */
export const runNetwork: NetworkRun = (request, options) => followDiagnosis(request, options);

/**
 * Runs both parts at once. Emits `run-started` once with every check of both parts, every check's start and end,
 * and exactly one of `run-finished` (with the merged report) or `run-cancelled`. Resolves with the result;
 * rejects with DiagnosisCancelled when the signal aborts — only after both parts have stopped — and with the
 * network run's own error if it breaks.
 */
export async function runFullDiagnosis<Fix>(
  request: ValidRequest,
  deps: FullRunDeps<Fix>,
  options: FullRunOptions<Fix> = {},
): Promise<FullRunResult<Fix>> {
  const controller = new AbortController();
  const stopOwn = (): void => controller.abort();
  options.signal?.addEventListener('abort', stopOwn, { once: true });
  if (options.signal?.aborted) controller.abort();
  const { signal } = controller;
  const emit = (event: FullRunEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the run.
    }
  };
  const localPlan = safePlan(deps.local, request.target);
  const waiting = watchForSilence(request, options.stillWaitingAfterMs ?? STILL_WAITING_AFTER_MS, emit);

  let local: Promise<LocalInspection<Fix>> | null = null;
  const startLocal = (): Promise<LocalInspection<Fix>> => {
    local ??= (async () => {
      for (const heading of localPlan) emit({ type: 'check-started', ...heading });
      const inspection = await deps.local
        .inspect(request.target, signal)
        .catch((error: unknown): LocalInspection<Fix> => ({
          checks: localPlan.map((heading) => failedCheck(heading, error)),
          fixes: [],
        }));
      if (signal.aborted) return { checks: [], fixes: [] };
      for (const check of inspection.checks) emit({ type: 'check-finished', check });
      return inspection;
    })();
    return local;
  };

  try {
    const network = await (deps.network ?? runNetwork)(request, {
      signal,
      ...(options.lookup ? { lookup: options.lookup } : {}),
      onEvent: (event) => {
        waiting.see(event);
        if (event.type === 'run-started') {
          emit({ ...event, checks: [...event.checks, ...localPlan] });
          void startLocal();
        } else if (event.type !== 'run-finished' && event.type !== 'run-cancelled') {
          // The end is announced below, once the local checks are in as well.
          emit(event);
        }
      },
    });
    waiting.stop();
    const inspection = await startLocal();
    if (signal.aborted) throw new DiagnosisCancelled();
    const report = withLocalChecks(network, [], inspection.checks);
    try {
      options.onLocalInspection?.(inspection);
    } catch {
      // The caller's bookkeeping must not lose the report.
    }
    emit({ type: 'run-finished', report });
    return { report, localChecks: inspection.checks, fixes: inspection.fixes };
  } catch (error) {
    waiting.stop();
    // Never leave the local commands running behind a failed or cancelled run.
    controller.abort();
    await (local ?? Promise.resolve());
    if (options.signal?.aborted || error instanceof DiagnosisCancelled) {
      emit({ type: 'run-cancelled' });
      throw error instanceof DiagnosisCancelled ? error : new DiagnosisCancelled();
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stopOwn);
  }
}

/**
 * The report with a fresh reading of the local checks: the ones read before (`previous`) give way to the new
 * ones, which go last, after the network checks. Pure; used after a run and after a fix is applied or undone.
 */
export function withLocalChecks(
  report: DiagnosisReport,
  previous: readonly Check[],
  current: readonly Check[],
): DiagnosisReport {
  const replaced = new Set([...previous, ...current].map((check) => check.id));
  return { ...report, checks: [...report.checks.filter((c) => !replaced.has(c.id)), ...current] };
}

/** The given checks before and after a change, for showing what a fix did. Pure. */
export function compareChecks(
  checkIds: readonly string[],
  before: readonly Check[],
  after: readonly Check[],
): CheckComparison[] {
  return checkIds.map((id) => {
    const was = before.find((c) => c.id === id) ?? null;
    const now = after.find((c) => c.id === id) ?? null;
    return { id, title: now?.title ?? was?.title ?? id, before: was, after: now };
  });
}

/**
 * Watches the engine's probe events: if `afterMs` after the first probe went out no probe has had any answer
 * (a connection, a refusal, an ICMP unreachable), emits one `still-waiting`. At most once per run.
 */
function watchForSilence(
  request: ValidRequest,
  afterMs: number,
  emit: (event: StillWaitingEvent) => void,
): { see(event: DiagnosisEvent): void; stop(): void } {
  // Probes still out, per port, in the order the ports went out.
  const pending = new Map<number, number>();
  let answered = false;
  let timer: NodeJS.Timeout | null = null;
  let done = false;
  const stop = (): void => {
    done = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    see(event) {
      if (done) return;
      if (event.type === 'probe-started') {
        pending.set(event.port, (pending.get(event.port) ?? 0) + 1);
        // Only worth saying when the deadline is well beyond the warning.
        if (timer === null && request.timeoutMs > afterMs) {
          timer = setTimeout(() => {
            timer = null;
            const ports = [...pending].filter(([, count]) => count > 0).map(([port]) => port);
            if (!done && !answered && ports.length > 0) {
              emit({
                type: 'still-waiting',
                host: request.target.host,
                ports,
                afterMs,
                deadlineMs: request.timeoutMs,
              });
            }
            done = true;
          }, afterMs);
          timer.unref?.();
        }
      } else if (event.type === 'probe-finished') {
        if (event.probe.reachability !== 'timeout' && event.probe.reachability !== 'skipped') answered = true;
        pending.set(event.probe.port, (pending.get(event.probe.port) ?? 1) - 1);
      } else if (event.type === 'run-finished' || event.type === 'run-cancelled') {
        stop();
      }
    },
    stop,
  };
}

function safePlan<Fix>(local: LocalChecks<Fix>, target: StreamTarget): CheckHeading[] {
  try {
    return local.plan(target);
  } catch {
    return [];
  }
}

function failedCheck(heading: CheckHeading, error: unknown): Check {
  return {
    ...heading,
    status: 'error',
    summary: `This check failed: ${error instanceof Error ? error.message : String(error)}`,
    command: '',
  };
}
