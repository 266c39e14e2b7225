// The diagnosis as the CLI prints it in --json and as the app shows, exports and reopens it (schemaVersion 1).
// Types and pure constants only: the renderer, the CLI, the reports and every layer below the engine read these,
// so this file imports nothing but its sibling shared files.
import type { PlaylistFormat, ProbeProtocol, ProbeResult } from './probe-result';
import type { KnownErrorCode, StreamScheme, StreamTarget } from './target';

export type Tier = 'simple' | 'moderate' | 'advanced';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

export interface Check {
  id: string;
  tier: Tier;
  title: string;
  status: CheckStatus;
  /** One or two sentences in plain words. */
  summary: string;
  /** What an IT person could run to see the same thing (PowerShell, curl, ffprobe…). */
  command: string;
  /** Raw evidence: a reply excerpt, a hex dump, a list of links. */
  evidence?: string;
  /** The way in a check is about, when it is about one: readers never parse it out of the id. */
  scope?: CheckScope;
}

/** The route (and port) a check speaks for; absent for checks about the whole server or this computer. */
export interface CheckScope {
  route?: RouteName;
  port?: number;
}

/** A check as announced before it has a result. */
export interface CheckHeading {
  id: string;
  tier: Tier;
  title: string;
}

export type VerdictCode =
  | 'ok'
  | 'use-rtsp'
  | 'use-http'
  | 'mms-only-server'
  | 'not-a-streaming-server'
  | 'non-wms-rtsp-server'
  | 'stream-not-found'
  | 'auth-required'
  | 'access-denied'
  | 'server-unavailable'
  | 'redirected'
  | 'ports-filtered'
  | 'ports-closed'
  | 'dns-failed'
  | 'dns-mismatch'
  | 'host-unreachable'
  | 'inconclusive';

export interface Verdict {
  code: VerdictCode;
  /** What is wrong (or right), one sentence. */
  summary: string;
  /** Why, one sentence. */
  reason: string;
  /** What to do. */
  fix: string;
  /** A replacement URL that a probe of this run reached and found working, or null. */
  suggestedUrl: string | null;
  /** What to tell the server's administrator when the fault is on their side, or null. */
  adminNote: string | null;
}

/** Verdicts under which a playable route exists (CLI exit code 0). */
export const PLAYABLE_VERDICTS: ReadonlySet<VerdictCode> = new Set(['ok', 'use-rtsp', 'use-http']);

export interface DnsResult {
  status: 'resolved' | 'literal' | 'failed';
  addresses: string[];
  durationMs: number;
  error?: string;
  /** The expected address the user gave, and whether DNS returned it. */
  expectedIp?: string;
  matchesExpected?: boolean;
}

/** One way Windows Media Player could reach the stream. */
export type RouteName = 'rtsp' | 'http' | 'mms';

/**
 * What one route's probes found, reduced once. A closed set: nothing outside `works` is ever counted as working,
 * and `unknown` (not tested, cancelled, an answer we could not read) never is either.
 */
export type RouteState =
  | 'works' // a Windows Media server answers and the stream is there
  | 'not-found' // the server answers, the path is not there (404/410, NS_E_FILE_NOT_FOUND…)
  | 'auth' // credentials asked for (401/407, an MMS security challenge)
  | 'forbidden' // access refused outright (403, E_ACCESSDENIED)
  | 'unavailable' // the server is there but will not serve now (5xx, RTSP 453, server busy)
  | 'redirect' // the server sends the player elsewhere
  | 'non-wms' // a server answers the protocol, but not one Windows Media Player can use
  | 'open-silent' // the port accepts but nothing answers the protocol (or a TLS handshake)
  | 'refused' // nothing listens
  | 'reset' // the connection was reset right after it was accepted
  | 'filtered' // no answer at all to the connection attempt
  | 'unreachable' // a router said the host cannot be reached
  | 'unknown'; // not tested, cancelled, or an answer that fits none of the above

export interface RouteSummary {
  route: RouteName;
  state: RouteState;
  /** The port of the probe that decided the state, or null when none did. */
  port: number | null;
  /** The address this route would use. */
  url: string;
}

export interface DiagnosisReport {
  schemaVersion: 1;
  tool: { name: 'stream-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  input: { url: string; errorCode: string | null; expectIp: string | null; timeoutMs: number };
  /** The error code the user gave, explained, or null. */
  error: KnownErrorCode | null;
  target: { scheme: StreamScheme; host: string; port: number; path: string };
  dns: DnsResult;
  probes: ProbeResult[];
  /** The known-good stream the user configured, probed the same way, or null. */
  knownGood: { url: string; probe: ProbeResult } | null;
  /** Each route's state as the verdict read it (added within schemaVersion 1; older reports lack it). */
  routes?: RouteSummary[];
  checks: Check[];
  verdict: Verdict;
  /** Redirects followed from the address to the one the verdict is about (electron/engine/follow.ts). */
  redirects?: RedirectHop[];
  /** The playlist or web page the address returned, and the verdict on each stream entry tested. */
  playlist?: FollowedPlaylist | null;
}

/** One redirect followed: `to` was validated like user input and tested in this run. */
export interface RedirectHop {
  from: string;
  to: string;
  /** The 3xx status; null for an MMS redirect, which has none. */
  status: number | null;
}

export interface FollowedPlaylist {
  url: string;
  format: PlaylistFormat;
  entries: FollowedEntry[];
  /** Entries that were not stream addresses (file:, javascript:…) and were never touched. */
  rejected: number;
  /** The playlist had more stream entries than were tested. */
  truncated: boolean;
}

export interface FollowedEntry {
  url: string;
  /** The verdict on this entry, from its own run; null when it could not be tested (`untested` says why). */
  verdict: Verdict | null;
  untested?: string;
}

/** What the engine tells its listener while it runs: the CLI prints these, the app forwards them to the wizard. */
export type DiagnosisEvent =
  /** `checks` is the complete, final list: every one of them is finished before `run-finished`, and no other. */
  | { type: 'run-started'; target: StreamTarget; checks: CheckHeading[] }
  | { type: 'dns-finished'; dns: DnsResult }
  | { type: 'probe-started'; protocol: ProbeProtocol; port: number }
  | { type: 'probe-finished'; probe: ProbeResult }
  | { type: 'check-started'; id: string; tier: Tier; title: string }
  | { type: 'check-finished'; check: Check }
  | { type: 'run-finished'; report: DiagnosisReport }
  | { type: 'run-cancelled' };
