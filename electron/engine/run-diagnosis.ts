// The whole run: DNS, then every probe at once, each check finished the moment its probes are in, then the
// verdict. Side effects (sockets) live in the probes; everything decided here comes from pure functions.
import {
  evaluateCheck,
  planChecks,
  planProbes,
  probeKey,
  type Evidence,
  type PlannedProbe,
} from '../diagnosis/checks';
import { PROBE_PROTOCOLS } from '../diagnosis/protocols';
import { assessRoutes, routeOfScheme, ROUTE_TABLE, summarizeRoutes } from '../diagnosis/routes';
import { decideVerdict } from '../diagnosis/verdict';
import type { Check, DiagnosisReport, DnsResult } from '../common/report';
import { parseErrorCode } from '../input/error-codes';
import { parseIpAddress, parseStreamUrl } from '../input/stream-url';
import type { KnownErrorCode, StreamTarget } from '../input/types';
import { resolveHost, type LookupFunction } from '../probes/dns';
import { probeHttp } from '../probes/http';
import { probeMms } from '../probes/mms';
import { probeMmsh } from '../probes/mmsh';
import { probeRtsp } from '../probes/rtsp';
import type { ProbeOptions, ProbeProtocol, ProbeResult, ProbeTarget } from '../probes/types';
import type { DiagnosisEvent } from './events';

export const TOOL_VERSION = '0.1.0';
export const DEFAULT_TIMEOUT_MS = 3000;
export const MIN_TIMEOUT_MS = 200;
export const MAX_TIMEOUT_MS = 60_000;

/** What the user asked for, as typed. Validated by `validateRequest`. */
export interface DiagnosisRequest {
  url: string;
  errorCode?: string | null;
  expectIp?: string | null;
  timeoutMs?: number;
  knownGoodUrl?: string | null;
}

export interface ValidRequest {
  input: { url: string; errorCode: string | null; expectIp: string | null; timeoutMs: number };
  target: StreamTarget;
  error: KnownErrorCode | null;
  expectIp: string | null;
  timeoutMs: number;
  knownGood: StreamTarget | null;
}

export type Validation =
  | { ok: true; value: ValidRequest }
  | { ok: false; field: 'url' | 'errorCode' | 'expectIp' | 'timeoutMs' | 'knownGoodUrl'; message: string };

/** Checks every field before anything touches the network; the message says what to do. */
export function validateRequest(request: DiagnosisRequest): Validation {
  const target = parseStreamUrl(request.url);
  if (!target.ok) return { ok: false, field: 'url', message: target.message };
  let error: KnownErrorCode | null = null;
  if (request.errorCode && request.errorCode.trim() !== '') {
    const parsed = parseErrorCode(request.errorCode);
    if (!parsed.ok) return { ok: false, field: 'errorCode', message: parsed.message };
    error = parsed.value;
  }
  let expectIp: string | null = null;
  if (request.expectIp && request.expectIp.trim() !== '') {
    const parsed = parseIpAddress(request.expectIp);
    if (!parsed.ok) return { ok: false, field: 'expectIp', message: parsed.message };
    expectIp = parsed.value;
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
    return {
      ok: false,
      field: 'timeoutMs',
      message: `The timeout must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS} (default ${DEFAULT_TIMEOUT_MS}).`,
    };
  }
  let knownGood: StreamTarget | null = null;
  if (request.knownGoodUrl && request.knownGoodUrl.trim() !== '') {
    const parsed = parseStreamUrl(request.knownGoodUrl);
    if (!parsed.ok)
      return { ok: false, field: 'knownGoodUrl', message: `Known-good stream: ${parsed.message}` };
    knownGood = parsed.value;
  }
  return {
    ok: true,
    value: {
      input: { url: target.value.url, errorCode: error?.hex ?? null, expectIp, timeoutMs },
      target: target.value,
      error,
      expectIp,
      timeoutMs,
      knownGood,
    },
  };
}

type ProbeFunction = (target: ProbeTarget, options: ProbeOptions) => Promise<ProbeResult>;

const PROBES: Record<ProbeProtocol, ProbeFunction> = {
  mms: probeMms,
  mmsh: probeMmsh,
  rtsp: probeRtsp,
  http: probeHttp,
};

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: DiagnosisEvent) => void;
  /** Replaceable resolver for tests; the system resolver otherwise. */
  lookup?: LookupFunction;
}

export class DiagnosisCancelled extends Error {
  constructor() {
    super('The diagnosis was cancelled.');
    this.name = 'DiagnosisCancelled';
  }
}

/**
 * Runs a validated request. Resolves with the report; rejects with DiagnosisCancelled when the signal aborts,
 * and only after every probe has stopped.
 */
export async function runDiagnosis(
  request: ValidRequest,
  options: RunOptions = {},
): Promise<DiagnosisReport> {
  const started = Date.now();
  const { target, timeoutMs } = request;
  const emit = (event: DiagnosisEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the run.
    }
  };
  const plannedProbes = planProbes(target);
  const plannedChecks = planChecks(target, plannedProbes, { knownGood: request.knownGood !== null });
  emit({
    type: 'run-started',
    target,
    checks: plannedChecks.map(({ id, tier, title }) => ({ id, tier, title })),
  });

  const evidence: Evidence = {
    target,
    error: request.error,
    expectIp: request.expectIp,
    dns: null,
    probes: [],
    knownGood: null,
  };
  const done = new Set<string>();
  const finished = new Map<string, Check>();
  const started_ = new Set<string>();
  const progress = (): void => {
    for (const plan of plannedChecks) {
      if (finished.has(plan.id)) continue;
      if (!started_.has(plan.id)) {
        started_.add(plan.id);
        emit({ type: 'check-started', id: plan.id, tier: plan.tier, title: plan.title });
      }
      if (plan.needs.every((need) => done.has(need))) {
        const check = evaluateCheck(plan, evidence);
        finished.set(plan.id, check);
        emit({ type: 'check-finished', check });
      }
    }
  };
  progress();

  const dns = await resolveHost(target.host, {
    timeoutMs,
    expectedIp: request.expectIp,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  if (options.signal?.aborted) return cancelled(emit);
  evidence.dns = dns;
  done.add('dns');
  emit({ type: 'dns-finished', dns });
  progress();

  // One port is one service: once a streaming protocol is recognised on a port, the other protocols' probes
  // on that port stop waiting (an RTSP server says nothing to an MMS hello and would hold us to the bound).
  const stoppers = new Map<string, AbortController>(
    plannedProbes.map((p) => [probeKey(p), new AbortController()]),
  );
  const identified = new Map<number, ProbeResult>();
  const work: Array<Promise<void>> = plannedProbes.map((planned) => {
    const stopper = stoppers.get(probeKey(planned))!;
    const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
    return runOneProbe(planned, target, dns, timeoutMs, signal, emit).then((raw) => {
      const speaker = identified.get(planned.port);
      const result =
        stopper.signal.aborted && !options.signal?.aborted && speaker ? stoppedEarly(raw, speaker) : raw;
      if (result.speaks && !identified.has(planned.port)) {
        identified.set(planned.port, result);
        for (const sibling of plannedProbes) {
          if (
            sibling.port === planned.port &&
            sibling.protocol !== planned.protocol &&
            stopsOnIdentification(planned.protocol, sibling.protocol)
          ) {
            stoppers.get(probeKey(sibling))!.abort();
          }
        }
      }
      evidence.probes.push(result);
      done.add(probeKey(planned));
      progress();
    });
  });
  if (request.knownGood) {
    const knownGood = request.knownGood;
    work.push(
      knownGoodProbe(knownGood, timeoutMs, options).then((probe) => {
        evidence.knownGood = { url: knownGood.url, probe };
        done.add('known-good');
        progress();
      }),
    );
  }
  await Promise.all(work);
  if (options.signal?.aborted) return cancelled(emit);

  // Keep the planned order in the report, whatever order the network answered in.
  evidence.probes.sort((a, b) => planIndex(plannedProbes, a) - planIndex(plannedProbes, b));
  // Every announced check ends with a result, even one whose evidence never came (it cannot happen today; the
  // renderer's count of checks must never be left waiting).
  for (const plan of plannedChecks) {
    if (finished.has(plan.id)) continue;
    const check = evaluateCheck(plan, evidence);
    finished.set(plan.id, check);
    emit({ type: 'check-finished', check });
  }
  const verdict = decideVerdict({ target, error: request.error, dns, probes: evidence.probes });
  const report: DiagnosisReport = {
    schemaVersion: 1,
    tool: { name: 'stream-doctor', version: TOOL_VERSION },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    input: request.input,
    error: request.error,
    target: { scheme: target.scheme, host: target.host, port: target.port, path: target.path },
    dns,
    probes: evidence.probes,
    knownGood: evidence.knownGood,
    routes: summarizeRoutes(assessRoutes(target, evidence.probes)),
    checks: plannedChecks.map((plan) => finished.get(plan.id)!),
    verdict,
  };
  emit({ type: 'run-finished', report });
  return report;
}

/** Which probes a recognised service makes pointless on its port. The two HTTP views (Windows Media and
 * browser) never stop each other: both tell something about a web server. */
function stopsOnIdentification(speaker: ProbeProtocol, sibling: ProbeProtocol): boolean {
  const http = (p: ProbeProtocol): boolean => p === 'http' || p === 'mmsh';
  return !(http(speaker) && http(sibling));
}

function stoppedEarly(raw: ProbeResult, speaker: ProbeResult): ProbeResult {
  const what = `${PROBE_PROTOCOLS[speaker.protocol].name}${speaker.server ? ` (${speaker.server})` : ''}`;
  return {
    ...raw,
    reachability: 'open',
    reachabilityReason:
      raw.reachability === 'open'
        ? raw.reachabilityReason
        : `port ${raw.port} accepted the ${speaker.protocol} probe's connection`,
    speaks: false,
    detail: `Not spoken here: port ${raw.port} already answered ${what}, so this probe stopped early.`,
  };
}

function planIndex(planned: PlannedProbe[], probe: ProbeResult): number {
  return planned.findIndex((p) => p.protocol === probe.protocol && p.port === probe.port);
}

function cancelled(emit: (event: DiagnosisEvent) => void): never {
  emit({ type: 'run-cancelled' });
  throw new DiagnosisCancelled();
}

async function runOneProbe(
  planned: PlannedProbe,
  target: StreamTarget,
  dns: DnsResult,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  emit: (event: DiagnosisEvent) => void,
): Promise<ProbeResult> {
  if (dns.status === 'failed') return skippedProbe(planned, 'not tested: the name does not resolve');
  emit({ type: 'probe-started', protocol: planned.protocol, port: planned.port });
  const probeTarget: ProbeTarget = {
    host: target.host,
    addresses: dns.addresses,
    port: planned.port,
    path: target.path,
    ...(target.scheme === 'https' && planned.port === target.port ? { tls: true } : {}),
  };
  const result = await safely(planned, () =>
    PROBES[planned.protocol](probeTarget, { timeoutMs, ...(signal ? { signal } : {}) }),
  );
  emit({ type: 'probe-finished', probe: result });
  return result;
}

async function knownGoodProbe(
  target: StreamTarget,
  timeoutMs: number,
  options: RunOptions,
): Promise<ProbeResult> {
  // The first probe of the route the scheme asks for; https is the browser's request over TLS.
  const protocol: ProbeProtocol =
    target.scheme === 'https' ? 'http' : ROUTE_TABLE[routeOfScheme(target.scheme)].probes[0]!;
  const planned = { protocol, port: target.port };
  const dns = await resolveHost(target.host, {
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  if (dns.status === 'failed')
    return skippedProbe(planned, `not tested: ${dns.error ?? 'the name does not resolve'}`);
  return safely(planned, () =>
    PROBES[protocol](
      {
        host: target.host,
        addresses: dns.addresses,
        port: target.port,
        path: target.path,
        ...(target.scheme === 'https' ? { tls: true } : {}),
      },
      { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
    ),
  );
}

/** A probe is written never to throw; if one ever does, the run still ends with a classification. */
async function safely(planned: PlannedProbe, run: () => Promise<ProbeResult>): Promise<ProbeResult> {
  try {
    return await run();
  } catch (error) {
    return {
      ...skippedProbe(planned, 'the probe failed unexpectedly'),
      detail: `The ${planned.protocol} probe failed unexpectedly (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}

function skippedProbe(planned: PlannedProbe, reason: string): ProbeResult {
  return {
    protocol: planned.protocol,
    port: planned.port,
    address: null,
    reachability: 'skipped',
    reachabilityReason: reason,
    speaks: false,
    server: null,
    status: null,
    detail: reason,
    durationMs: 0,
    replyKind: 'nothing',
    ending: null,
    evidence: { sent: '', received: '' },
  };
}
