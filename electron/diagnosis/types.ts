// The diagnosis as the CLI prints it in --json and as the app shows and exports it (schemaVersion 1).
import type { KnownErrorCode, StreamScheme } from '../input/types';
import type { PlaylistFormat, ProbeResult } from '../probes/types';

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
  | 'ports-filtered'
  | 'ports-closed'
  | 'dns-failed'
  | 'host-unreachable';

export interface Verdict {
  code: VerdictCode;
  /** What is wrong (or right), one sentence. */
  summary: string;
  /** Why, one sentence. */
  reason: string;
  /** What to do. */
  fix: string;
  /** A replacement URL that was tested and answered, or null. */
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
  checks: Check[];
  verdict: Verdict;
  /** Redirects followed from the address to the one the verdict is about (electron/engine/follow.ts). */
  redirects?: RedirectHop[];
  /** The playlist or web page the address returned, and the verdict on each stream entry tested. */
  playlist?: FollowedPlaylist | null;
}

/** One redirect: `to` was validated like user input and tested in this run (or says in `untested` why not). */
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
