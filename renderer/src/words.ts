// Words the wizard shows for codes and states, in one place.
import type { HelpTopic, Tier, VerdictCode } from '../../electron/ipc/contract';
import type { CheckState } from './run-state';
import type { TierSummary } from './verdict-tiers';

export const TIER_TITLE: Record<Tier, string> = {
  simple: 'Simple',
  moderate: 'Moderate',
  advanced: 'Advanced',
};

export const TIER_BLURB: Record<Tier, string> = {
  simple: 'What answers at that address, and which address works.',
  moderate: 'Ports, DNS, and the firewall on this computer.',
  advanced: 'The stream’s path on the server, the raw replies, and links in the web page.',
};

export const STATE_LABEL: Record<CheckState, string> = {
  pending: 'Waiting',
  running: 'Checking',
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  error: 'Error',
  skip: 'Skipped',
  cancelled: 'Cancelled',
};

export const CHECK_WORDS = {
  stopped: 'Stopped before it finished, because you cancelled the diagnosis.',
  took: (seconds: string) => `Took ${seconds}.`,
  notNeeded: 'Not needed for the working address',
  evidence: 'Raw evidence',
  command: 'For IT staff: the same check by hand',
} as const;

export type Tone = 'good' | 'warn' | 'bad';

export const VERDICT_HEADLINE: Record<VerdictCode, { label: string; tone: Tone }> = {
  ok: { label: 'The stream answers', tone: 'good' },
  'use-rtsp': { label: 'A working address was found', tone: 'good' },
  'use-http': { label: 'A working address was found', tone: 'good' },
  'mms-only-server': { label: 'Only an older player can play this', tone: 'warn' },
  'not-a-streaming-server': { label: 'Not a streaming server', tone: 'bad' },
  'non-wms-rtsp-server': { label: 'Not a Windows Media server', tone: 'warn' },
  'stream-not-found': { label: 'The stream is not there', tone: 'bad' },
  'auth-required': { label: 'Sign-in needed', tone: 'warn' },
  'access-denied': { label: 'The server refuses access', tone: 'bad' },
  'server-unavailable': { label: 'The server is busy or down', tone: 'bad' },
  redirected: { label: 'The server sends you elsewhere', tone: 'warn' },
  'ports-filtered': { label: 'No answer', tone: 'bad' },
  'ports-closed': { label: 'Nothing is listening', tone: 'bad' },
  'dns-failed': { label: 'The server name is unknown', tone: 'bad' },
  'dns-mismatch': { label: 'The name points at a different server', tone: 'bad' },
  'host-unreachable': { label: 'The server cannot be reached', tone: 'bad' },
  inconclusive: { label: 'No clear answer', tone: 'warn' },
};

/** Verdicts where VLC, not Windows Media Player, is the player to offer first. */
export const VLC_FIRST: ReadonlySet<VerdictCode> = new Set(['mms-only-server', 'non-wms-rtsp-server']);

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** A tier's counts in words, shown even when it is closed. */
export function tierStatusWords(summary: TierSummary): string {
  if (summary.total === 0) return 'No checks';
  if (summary.done < summary.total) return `${summary.done} of ${summary.total} done`;
  return [
    summary.failed > 0 ? `${summary.failed} failed` : null,
    summary.notNeeded > 0 ? `${summary.notNeeded} not needed` : null,
    summary.couldNotCheck > 0 ? `${summary.couldNotCheck} could not be checked` : null,
    summary.toNote > 0 ? `${summary.toNote} to note` : null,
    summary.passed > 0 ? `${summary.passed} passed` : null,
    summary.skipped > 0 ? `${summary.skipped} skipped` : null,
    summary.stopped > 0 ? `${summary.stopped} stopped` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

export const HELP_LABEL: Record<HelpTopic, string> = {
  'wmp-help': 'Windows Media Player help (Microsoft Support)',
  vlc: 'Get VLC media player (videolan.org)',
  'windows-firewall': 'Windows Firewall for administrators (Microsoft Learn)',
  protocols: 'How Windows Media streaming works (Microsoft’s protocol specification)',
};

export const HELP_WORDS = {
  heading: 'Learn more',
  forItStaff: 'For IT staff',
  opensInBrowser: '(opens in your web browser)',
} as const;
