// Above a report or bundle someone sent: whose machine and when, that it is read-only, and any file in the
// bundle that does not match its manifest. Every string here came from that file: React renders it as text.
import { useAppStore } from '../store-context';

export function OpenedRunBanner(): React.JSX.Element | null {
  const opened = useAppStore((s) => s.openedRun);
  if (!opened) return null;
  const when = formatWhen(opened.createdAt);
  return (
    <section className="opened-banner" aria-labelledby="opened-heading">
      <h2 id="opened-heading">
        {opened.kind === 'bundle'
          ? `Support bundle from ${opened.computerName ?? 'an unnamed computer'}, made ${when}`
          : `Saved report of a run on ${when}`}
      </h2>
      <p>
        Read-only: this is the run as it happened on that computer ({opened.fileName}). Nothing runs again and
        no fix is offered here.
      </p>
      {opened.userErrorText && (
        <p>
          <span className="muted">The error the user reported: </span>
          <q>{opened.userErrorText}</q>
        </p>
      )}
      {opened.warnings.length > 0 && (
        <div className="opened-warnings" role="alert">
          <h3>Check this bundle with care</h3>
          <ul>
            {opened.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function formatWhen(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString();
}
