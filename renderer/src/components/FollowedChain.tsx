// Where the address led before the verdict: the redirects followed, and the playlist or page with each stream
// entry's own verdict. Everything here came from a server (a Location, a playlist's entries), so it is shown
// as plain text, control characters removed and length bounded — never as markup or a link.
import { PLAYLIST_NOUN } from '../../../electron/common/follow-words';
import type { DiagnosisReport, FollowedPlaylist } from '../../../electron/common/report';
import { VERDICT_HEADLINE } from '../words';

/** Most characters of one server-supplied string shown; the full text is in the saved report. */
const MAX_SHOWN = 300;

/** Server text as the card shows it: no control characters, at most MAX_SHOWN characters. */
export function displayText(text: string): string {
  const clean = text.replace(/\p{Cc}/gu, ' ');
  return clean.length > MAX_SHOWN ? `${clean.slice(0, MAX_SHOWN)}…` : clean;
}

export function FollowedChain({
  report,
}: {
  report: Pick<DiagnosisReport, 'redirects' | 'playlist'>;
}): React.JSX.Element | null {
  const redirects = report.redirects ?? [];
  const playlist = report.playlist ?? null;
  if (redirects.length === 0 && !playlist) return null;
  return (
    <div className="followed">
      {redirects.length > 0 && (
        <>
          <h3>Redirects followed</h3>
          <ol className="followed-list">
            {redirects.map((hop, index) => (
              <li key={`${index}-${hop.to}`}>
                <code>{displayText(hop.from)}</code>
                <span className="muted"> redirects{hop.status === null ? '' : ` (${hop.status})`} to </span>
                <code>{displayText(hop.to)}</code>
              </li>
            ))}
          </ol>
        </>
      )}
      {playlist && <PlaylistEntries playlist={playlist} />}
    </div>
  );
}

function PlaylistEntries({ playlist }: { playlist: FollowedPlaylist }): React.JSX.Element {
  return (
    <>
      <h3>
        {PLAYLIST_NOUN[playlist.format]} at <code>{displayText(playlist.url)}</code>
      </h3>
      <ul className="followed-list">
        {playlist.entries.map((entry) => (
          <li key={entry.url}>
            <code>{displayText(entry.url)}</code>
            {entry.verdict ? (
              <span>
                {' — '}
                <strong>{VERDICT_HEADLINE[entry.verdict.code]?.label ?? entry.verdict.code}</strong>:{' '}
                {displayText(entry.verdict.summary)}
              </span>
            ) : (
              <span className="muted">
                {' '}
                — not tested: {displayText(entry.untested ?? 'no reason recorded')}
              </span>
            )}
          </li>
        ))}
      </ul>
      {playlist.rejected > 0 && (
        <p className="muted">
          {playlist.rejected === 1 ? 'One entry was' : `${playlist.rejected} entries were`} not a stream
          address (a file on a computer, a script) and {playlist.rejected === 1 ? 'was' : 'were'} left alone.
        </p>
      )}
      {playlist.truncated && <p className="muted">The playlist has more entries; only these were tested.</p>}
    </>
  );
}
