// The start screen's list of changes Stream Doctor made on this computer (from the fix journal, so it
// survives a restart): each with the exact commands Undo runs, rebuilt from the journal's checked facts.
// An entry that failed its check is listed with the reason and offers nothing to run. Undo is disabled
// while it runs.
import { useAppStore } from '../store-context';
import { ActionLabel } from './AdminShield';

export function AppliedChangesList(): React.JSX.Element | null {
  const changes = useAppStore((s) => s.appliedChanges);
  const notices = useAppStore((s) => s.journalNotices);
  const undoing = useAppStore((s) => s.undoingChanges);
  const undoAppliedChange = useAppStore((s) => s.undoAppliedChange);
  if (changes.length === 0 && notices.length === 0) return null;
  return (
    <section className="applied-changes" aria-labelledby="applied-heading">
      <h2 id="applied-heading">Changes Stream Doctor made on this computer</h2>
      {notices.map((notice) => (
        <p key={notice} className="journal-notice" role="status">
          {notice}
        </p>
      ))}
      {changes.length > 0 && (
        <p className="muted">Each one can be undone; Undo puts back exactly what was there before.</p>
      )}
      <ul>
        {changes.map((change, index) => {
          const running = undoing.includes(change.id);
          return (
            <li key={`${change.id}-${index}`} className={`applied-${change.status}`}>
              <div className="applied-text">
                <strong>{change.title}</strong>
                {change.appliedAt && (
                  <span className="muted"> — applied {new Date(change.appliedAt).toLocaleString()}</span>
                )}
                {change.note && <p className="applied-note">{change.note}</p>}
                {change.undoCommands.length > 0 && (
                  <details>
                    <summary>Commands Undo runs{change.needsAdmin ? ' (needs administrator)' : ''}</summary>
                    <pre>{change.undoCommands.join('\n')}</pre>
                  </details>
                )}
              </div>
              {change.status !== 'unreadable' && (
                <button
                  type="button"
                  className="button"
                  aria-label={`Undo: ${change.title}`}
                  disabled={running}
                  onClick={() => void undoAppliedChange(change.id)}
                >
                  <ActionLabel text={running ? 'Undoing…' : 'Undo'} needsAdmin={change.needsAdmin} />
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
