// Following where an address leads: RTSP and HTTP redirects (and Windows Media HTTP's Location, and an MMS
// redirect), and the stream entries of a playlist or web page. This is the network part of a full run; the
// CLI and the app call it instead of runDiagnosis.
//
//   followDiagnosis(request: ValidRequest, options?: RunOptions): Promise<DiagnosisReport>
//
// Same contract as runDiagnosis (electron/engine/run-diagnosis.ts): the events of the address's own run
// (its checks are the complete list; the followed runs add none), one `run-finished` at the very end, and a
// rejection with DiagnosisCancelled once every probe has stopped when the signal aborts. The report is the
// address's own (probes, checks), with:
//   - `verdict` about the address the chain or playlist leads to, in words that name the chain/playlist;
//   - `redirects: [{ from, to, status }]` — every hop validated like user input and tested in this run;
//   - `playlist: { url, format, entries: [{ url, verdict, untested? }] }` or null.
// Bounds: at most MAX_REDIRECTS hops and MAX_PLAYLIST_DEPTH playlist levels; the entries of a level (at most
// 10) run in parallel; each level gets one probe deadline (plus a short margin) and what is not done by then
// is reported as untested, never as working.
import type {
  DiagnosisReport,
  FollowedEntry,
  FollowedPlaylist,
  RedirectHop,
  Verdict,
} from '../diagnosis/types';
import type { StreamTarget } from '../input/types';
import type { DiagnosisEvent } from './events';
import {
  checkHop,
  chooseEntry,
  failedFollowVerdict,
  MAX_PLAYLIST_DEPTH,
  nextStep,
  playlistVerdict,
  redirectTargets,
  redirectVerdict,
  unfollowedRedirectVerdict,
  untestedPlaylistVerdict,
  type FollowStep,
} from './follow-rules';
import { DiagnosisCancelled, runDiagnosis, type RunOptions, type ValidRequest } from './run-diagnosis';

/** Room after a level's probe deadline for the last replies to be read and judged. */
export const FOLLOW_MARGIN_MS = 500;

export type RunFunction = (request: ValidRequest, options: RunOptions) => Promise<DiagnosisReport>;

/** What following from one address found. */
interface Followed {
  verdict: Verdict;
  redirects: RedirectHop[];
  playlist: FollowedPlaylist | null;
  /** A redirect at the end of the chain that was not followed, and why. */
  unfollowed: { location: string; why: string } | null;
}

interface Walk {
  /** Addresses already on this path (loops end here). */
  visited: ReadonlySet<string>;
  hops: number;
  depth: number;
}

interface Context {
  options: RunOptions;
  run: RunFunction;
}

/** Runs the diagnosis of `request` and follows its redirects and playlists. See the file comment. */
export async function followDiagnosis(
  request: ValidRequest,
  options: RunOptions = {},
  run: RunFunction = runDiagnosis,
): Promise<DiagnosisReport> {
  const started = Date.now();
  const emit = (event: DiagnosisEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the run.
    }
  };
  const top = await run(request, {
    ...options,
    onEvent: (event) => {
      // The end is announced once the followed targets are in.
      if (event.type !== 'run-finished') emit(event);
    },
  });
  const context: Context = { options, run };
  const step = nextStep(top, request.target);
  let followed: Followed | null = null;
  if (step) {
    try {
      followed = await follow(top, request, step, context, {
        visited: new Set([request.target.url]),
        hops: 0,
        depth: 0,
      });
    } catch (error) {
      if (error instanceof DiagnosisCancelled) {
        emit({ type: 'run-cancelled' });
        throw error;
      }
      // A fault of ours must not cost the address's own report; nothing it found is offered untested.
      followed = {
        verdict: failedFollowVerdict(
          top.verdict,
          redirectTargets(top),
          `it failed unexpectedly (${error instanceof Error ? error.message : String(error)})`,
        ),
        redirects: [],
        playlist: null,
        unfollowed: null,
      };
    }
  }
  const report: DiagnosisReport = {
    ...top,
    durationMs: Date.now() - started,
    verdict: followed?.verdict ?? top.verdict,
    redirects: followed?.redirects ?? [],
    playlist: followed?.playlist ?? null,
  };
  emit({ type: 'run-finished', report });
  return report;
}

/** Follows from a finished report: nothing, a redirect, or a playlist. */
async function followFrom(
  report: DiagnosisReport,
  request: ValidRequest,
  context: Context,
  walk: Walk,
): Promise<Followed> {
  const step = nextStep(report, request.target);
  if (!step) return { verdict: report.verdict, redirects: [], playlist: null, unfollowed: null };
  return follow(report, request, step, context, walk);
}

function follow(
  report: DiagnosisReport,
  request: ValidRequest,
  step: FollowStep,
  context: Context,
  walk: Walk,
): Promise<Followed> {
  return step.kind === 'redirect'
    ? followRedirect(report, request, step, context, walk)
    : followPlaylist(report, request, step, context, walk);
}

async function followRedirect(
  report: DiagnosisReport,
  request: ValidRequest,
  step: Extract<FollowStep, { kind: 'redirect' }>,
  context: Context,
  walk: Walk,
): Promise<Followed> {
  const from = request.target.url;
  const hop = checkHop(step.location, walk.visited, walk.hops);
  if (!hop.ok) return unfollowed(report, request, step.location, hop.reason);
  const next = hopRequest(request, hop.target);
  const nextReport = await runWithinDeadline(next, context);
  const first: RedirectHop = { from, to: hop.target.url, status: step.status };
  if (nextReport === null) {
    return unfollowed(report, request, step.location, 'it did not finish within the time bound');
  }
  const rest = await followFrom(nextReport, next, context, {
    ...walk,
    visited: new Set([...walk.visited, hop.target.url]),
    hops: walk.hops + 1,
  });
  const hops = [first, ...rest.redirects];
  // A later hop that could not be followed left its words in rest.verdict already.
  return {
    verdict: redirectVerdict(from, hops, rest.verdict),
    redirects: hops,
    playlist: rest.playlist,
    unfollowed: rest.unfollowed,
  };
}

function unfollowed(report: DiagnosisReport, request: ValidRequest, location: string, why: string): Followed {
  return {
    verdict: unfollowedRedirectVerdict(report.verdict, redirectTargets(report), location, why),
    redirects: [],
    playlist: null,
    unfollowed: { location, why },
  };
}

async function followPlaylist(
  report: DiagnosisReport,
  request: ValidRequest,
  step: Extract<FollowStep, { kind: 'playlist' }>,
  context: Context,
  walk: Walk,
): Promise<Followed> {
  const depth = walk.depth + 1;
  const settled = await Promise.allSettled(
    step.facts.entries.map(async (url): Promise<FollowedEntry> => {
      const hop = checkHop(url, walk.visited, 0);
      if (!hop.ok) return { url, verdict: null, untested: hop.reason };
      const entryRequest = hopRequest(request, hop.target);
      const entryReport = await runWithinDeadline(entryRequest, context);
      if (entryReport === null)
        return { url, verdict: null, untested: 'it did not finish within the time bound' };
      // A playlist inside a playlist is followed once more; deeper ones are judged as they are.
      const inner =
        depth < MAX_PLAYLIST_DEPTH
          ? await followFrom(entryReport, entryRequest, context, {
              visited: new Set([...walk.visited, hop.target.url]),
              hops: walk.hops,
              depth,
            })
          : { verdict: entryReport.verdict };
      return { url, verdict: inner.verdict };
    }),
  );
  // Every entry has stopped before a cancellation is passed on.
  const rejected = settled.find((result) => result.status === 'rejected');
  if (rejected) throw rejected.reason;
  const entries = settled.map((result) => (result as PromiseFulfilledResult<FollowedEntry>).value);
  const playlist: FollowedPlaylist = {
    url: step.url,
    format: step.facts.format,
    entries,
    rejected: step.facts.rejected,
    truncated: step.facts.truncated,
  };
  const chosen = chooseEntry(entries);
  return {
    verdict: chosen
      ? playlistVerdict(playlist, chosen, report.verdict)
      : untestedPlaylistVerdict(playlist, report.verdict),
    redirects: [],
    playlist,
    unfollowed: null,
  };
}

/** The request for a followed address: same error code and bound; the expected IP only for the same host. */
function hopRequest(request: ValidRequest, target: StreamTarget): ValidRequest {
  const expectIp = target.host === request.target.host ? request.expectIp : null;
  return {
    ...request,
    input: { ...request.input, url: target.url, expectIp },
    target,
    expectIp,
    knownGood: null,
  };
}

/**
 * One followed address, bounded by one probe deadline plus a margin. Null when that bound ran out (the
 * address is then reported as untested); a cancellation by the caller is passed on.
 */
async function runWithinDeadline(request: ValidRequest, context: Context): Promise<DiagnosisReport | null> {
  const bound = new AbortController();
  const timer = setTimeout(() => bound.abort(), request.timeoutMs + FOLLOW_MARGIN_MS);
  const caller = context.options.signal;
  const signal = caller ? AbortSignal.any([caller, bound.signal]) : bound.signal;
  try {
    return await context.run(request, {
      signal,
      ...(context.options.lookup ? { lookup: context.options.lookup } : {}),
    });
  } catch (error) {
    if (error instanceof DiagnosisCancelled && !caller?.aborted) return null;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
