// The pure half of following redirects and playlists: what in a report is worth following, whether a
// Location may be followed, and the words of the verdict once the target behind it has been tested.
// The side effects (running the sub-diagnoses) are in follow.ts.
import {
  PLAYABLE_VERDICTS,
  type DiagnosisReport,
  type FollowedEntry,
  type FollowedPlaylist,
  type RedirectHop,
  type Verdict,
} from '../diagnosis/types';
import { parseStreamUrl } from '../input/stream-url';
import type { StreamScheme, StreamTarget } from '../input/types';
import { shown } from '../probes/http';
import type { PlaylistFacts, ProbeProtocol } from '../probes/types';
import { chainText, PLAYLIST_NOUN } from '../common/follow-words';

export { chainText } from '../common/follow-words';

/** Redirects followed from one address; a sixth is refused (browsers allow about 20, players fewer). */
export const MAX_REDIRECTS = 5;
/** Playlist levels followed: a page's entries, and the entries of a playlist one of them names. */
export const MAX_PLAYLIST_DEPTH = 2;

export type FollowStep =
  | { kind: 'redirect'; status: number | null; location: string }
  | { kind: 'playlist'; url: string; facts: PlaylistFacts };

/** Which probe asks the way the user's own address would be asked: its redirect is the one a player meets. */
const OWN_PROBES: Readonly<Record<StreamScheme, readonly ProbeProtocol[]>> = {
  mms: ['mms'],
  mmst: ['mms'],
  mmsu: ['mms'],
  mmsh: ['mmsh', 'http'],
  rtsp: ['rtsp'],
  rtspt: ['rtsp'],
  rtspu: ['rtsp'],
  http: ['mmsh', 'http'],
  https: ['http'],
};

/**
 * What to follow from a finished report, or null. A redirect on the address's own port and protocol comes
 * first; then a playlist or page the browser-request probe read there. Nothing is followed when a playable
 * route was already found: a playlist never counts as one (diagnosis/routes.ts), so what it names is tested.
 */
export function nextStep(report: DiagnosisReport, target: StreamTarget): FollowStep | null {
  const playable = PLAYABLE_VERDICTS.has(report.verdict.code);
  const own = report.probes.filter(
    (probe) => probe.port === target.port && OWN_PROBES[target.scheme].includes(probe.protocol),
  );
  if (!playable) {
    for (const probe of own) {
      if (probe.redirect) return { kind: 'redirect', ...probe.redirect };
      if (probe.mms?.pathOutcome === 'redirected' && probe.mms.redirectUrl)
        return { kind: 'redirect', status: null, location: probe.mms.redirectUrl };
    }
  }
  if (playable) return null;
  const page = own.find((probe) => probe.protocol === 'http' && (probe.playlist?.entries.length ?? 0) > 0);
  return page?.playlist ? { kind: 'playlist', url: target.url, facts: page.playlist } : null;
}

export type HopCheck = { ok: true; target: StreamTarget } | { ok: false; reason: string };

/**
 * May this Location be followed? Only an absolute stream address that the user-input parser accepts
 * (mms, rtsp, http and their variants; never file:, javascript: or anything else), not one already
 * visited in this chain, and not beyond MAX_REDIRECTS.
 */
export function checkHop(location: string, visited: ReadonlySet<string>, hopsSoFar: number): HopCheck {
  if (hopsSoFar >= MAX_REDIRECTS)
    return { ok: false, reason: `more than ${MAX_REDIRECTS} redirects in a row are not followed` };
  // Without a scheme the user-input parser would read "elsewhere/x" as mms://elsewhere/x.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location.trim()))
    return { ok: false, reason: 'it is not an absolute stream address' };
  const parsed = parseStreamUrl(location);
  if (!parsed.ok) return { ok: false, reason: parsed.message };
  if (visited.has(parsed.value.url))
    return { ok: false, reason: `it leads back to ${parsed.value.url}, already followed: a loop` };
  return { ok: true, target: parsed.value };
}

// ---------------------------------------------------------------------------------------------------------
// Verdict words

/** A server's text inside our sentence: controls out, length bounded. */
function quoted(text: string): string {
  return shown(text, 300);
}

/** The tested address to offer: the verdict's own replacement, or the followed address when it works. */
function testedUrl(verdict: Verdict, finalUrl: string): string | null {
  return verdict.suggestedUrl ?? (PLAYABLE_VERDICTS.has(verdict.code) ? finalUrl : null);
}

function openTested(url: string, how: string): string {
  return `Open ${url} in Windows Media Player: ${how}, tested in this run. If it still fails there, the problem is on this computer (player settings, codecs, or a local firewall).`;
}

/** The verdict on the address a redirect chain ends at, in words that name the chain. */
export function redirectVerdict(start: string, hops: readonly RedirectHop[], final: Verdict): Verdict {
  const end = hops[hops.length - 1]!.to;
  const tested = testedUrl(final, end);
  const via = hops.length > 1 ? ` after ${hops.length} redirects` : '';
  return {
    ...final,
    summary: `${start} redirects to ${end}${via}. ${final.summary}`,
    reason: `Redirects followed: ${chainText(hops)}. ${final.reason}`,
    fix: final.code === 'ok' && tested ? openTested(tested, 'the address the redirect leads to') : final.fix,
    suggestedUrl: tested,
  };
}

/** Every redirect target a report's probes name: none of them was tested by the run that found them. */
export function redirectTargets(report: DiagnosisReport): Set<string> {
  const found = new Set<string>();
  for (const probe of report.probes) {
    for (const url of [
      probe.redirect?.location,
      probe.rtsp?.redirectUrl,
      probe.mms?.redirectUrl,
      probe.http?.redirectUrl,
    ]) {
      if (url) found.add(url);
    }
  }
  return found;
}

/**
 * The report's own verdict when a redirect could not be followed: the Location is named, but neither it nor
 * any other redirect target is offered as an address to try, since none was tested.
 */
export function unfollowedRedirectVerdict(
  own: Verdict,
  untested: ReadonlySet<string>,
  location: string,
  why: string,
): Verdict {
  const offersUntested =
    own.suggestedUrl !== null && (untested.has(own.suggestedUrl) || own.suggestedUrl === location);
  return {
    ...own,
    reason: `${own.reason} The server redirects to ${quoted(location)}, which was not tested: ${why}.`,
    fix:
      offersUntested || own.suggestedUrl === null
        ? `The server sends players to ${quoted(location)}, which Stream Doctor did not test (${why}). Ask the server’s administrator for the stream’s current address.`
        : own.fix,
    suggestedUrl: offersUntested ? null : own.suggestedUrl,
  };
}

/** The report's own verdict when following broke: said so, and no untested redirect target offered. */
export function failedFollowVerdict(own: Verdict, untested: ReadonlySet<string>, why: string): Verdict {
  const offersUntested = own.suggestedUrl !== null && untested.has(own.suggestedUrl);
  return {
    ...own,
    reason: `${own.reason} Where the address leads (a redirect or a playlist) could not be followed: ${why}.`,
    suggestedUrl: offersUntested ? null : own.suggestedUrl,
  };
}

/** Which entry the verdict is about: the first that plays (a player tries them in order), else the first tested. */
export function chooseEntry(entries: readonly FollowedEntry[]): FollowedEntry | null {
  return (
    entries.find((entry) => entry.verdict !== null && PLAYABLE_VERDICTS.has(entry.verdict.code)) ??
    entries.find((entry) => entry.verdict !== null) ??
    null
  );
}

/** The verdict on the stream behind a playlist or page, in words that say so. */
export function playlistVerdict(playlist: FollowedPlaylist, chosen: FollowedEntry, own: Verdict): Verdict {
  const entry = chosen.verdict!;
  const noun = PLAYLIST_NOUN[playlist.format];
  const tested = testedUrl(entry, chosen.url);
  const others = playlist.entries.length - 1;
  const alsoTested =
    others > 0
      ? ` ${others === 1 ? 'One other entry was' : `${others} other entries were`} tested too (see the playlist's entries).`
      : '';
  const fix =
    entry.code === 'ok' && tested
      ? openTested(tested, `the stream the ${noun.slice(4).toLowerCase()} points at`)
      : entry.fix;
  const replace =
    tested && tested !== chosen.url
      ? ` Change ${playlist.url} to point at ${tested} instead of ${chosen.url}.`
      : '';
  return {
    ...entry,
    summary: `${noun} at ${playlist.url} points at ${chosen.url}. ${entry.summary}`,
    reason: `${entry.reason}${alsoTested}`,
    fix,
    suggestedUrl: tested,
    adminNote: entry.adminNote || replace ? `${entry.adminNote ?? ''}${replace}`.trim() : own.adminNote,
  };
}

/** No entry could be tested (time bound, depth): the page's own verdict, with the entries named as untested. */
export function untestedPlaylistVerdict(playlist: FollowedPlaylist, own: Verdict): Verdict {
  const noun = PLAYLIST_NOUN[playlist.format];
  const names = playlist.entries.map((entry) => entry.url).join(', ');
  const why = playlist.entries[0]?.untested ?? 'it was not tested';
  return {
    ...own,
    reason: `${own.reason} ${noun} at ${playlist.url} points at ${names}, which could not be tested: ${why}.`,
    suggestedUrl: null,
  };
}
