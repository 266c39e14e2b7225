// Words for what the follow layer found (electron/engine/follow.ts): the redirect chain and the playlist's
// entries as lines of text. Pure and free of Node modules, so every reader of a report (CLI, exported summary
// and page, support bundle) can use it.
import type { PlaylistFormat } from './probe-result';
import type { DiagnosisReport, RedirectHop } from './report';

/** How a sentence names what came back, per playlist format. */
export const PLAYLIST_NOUN: Readonly<Record<PlaylistFormat, string>> = {
  asx: 'The playlist',
  reference: 'The Windows Media reference file',
  m3u: 'The M3U playlist',
  pls: 'The PLS playlist',
  html: 'The web page',
};

export function chainText(hops: readonly RedirectHop[]): string {
  if (hops.length === 0) return '';
  return [
    hops[0]!.from,
    ...hops.map((hop) => `${hop.status === null ? '' : `(${hop.status}) `}${hop.to}`),
  ].join(' → ');
}

/** The followed chain and playlist as text lines (the CLI prints them above the verdict). Pure. */
export function followedLines(report: Pick<DiagnosisReport, 'redirects' | 'playlist'>): string[] {
  const lines: string[] = [];
  if (report.redirects && report.redirects.length > 0) {
    lines.push('Redirects followed:', `  ${chainText(report.redirects)}`);
  }
  const playlist = report.playlist;
  if (playlist) {
    lines.push(`${PLAYLIST_NOUN[playlist.format]} at ${playlist.url}, each stream entry tested:`);
    for (const entry of playlist.entries) {
      lines.push(
        entry.verdict
          ? `  ${entry.url}: ${entry.verdict.code} — ${entry.verdict.summary}`
          : `  ${entry.url}: not tested (${entry.untested ?? 'no reason recorded'})`,
      );
    }
    if (playlist.rejected > 0)
      lines.push(
        `  (${playlist.rejected} more ${playlist.rejected === 1 ? 'entry' : 'entries'} not a stream address, left alone)`,
      );
    if (playlist.truncated) lines.push('  (the playlist has more entries than were tested)');
  }
  return lines;
}
