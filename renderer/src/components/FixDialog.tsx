// The fix dialog: what will change, the exact commands, whether it needs an administrator, Apply / Cancel.
// After Apply the fix's checks run again and a before/after table shows what changed; Undo stays available.
// A native modal <dialog>: it traps focus, makes the page behind it inert, and closes on Escape.
import { useEffect, useRef } from 'react';
import type { CheckComparison } from '../../../electron/ipc/contract';
import { useAppStore } from '../store-context';
import { StatusIcon } from './StatusIcon';
import { STATE_LABEL } from '../words';

export function FixDialog(): React.JSX.Element | null {
  const dialog = useAppStore((s) => s.fixDialog);
  const applyFix = useAppStore((s) => s.applyFix);
  const undoFix = useAppStore((s) => s.undoFix);
  const closeFix = useAppStore((s) => s.closeFix);
  const ref = useRef<HTMLDialogElement>(null);
  const open = dialog !== null;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const busy = dialog?.phase === 'applying' || dialog?.phase === 'undoing';
  const preview = dialog?.preview;
  return (
    <dialog
      ref={ref}
      className="fix-dialog"
      aria-labelledby="fix-title"
      aria-describedby="fix-description"
      onCancel={(event) => {
        event.preventDefault();
        closeFix();
      }}
    >
      {dialog && preview && (
        <div className="fix-body" aria-busy={busy}>
          <p className="eyebrow">Fix on this computer</p>
          <h2 id="fix-title">{preview.title}</h2>
          <p id="fix-description">{preview.description}</p>
          {preview.needsAdmin && (
            <p className="admin-badge">
              <strong>Needs administrator.</strong> Windows will ask for permission for this change only.
            </p>
          )}
          <h3>What will change</h3>
          <ul className="change-list">
            {preview.changes.map((change) => (
              <li key={change}>{change}</li>
            ))}
          </ul>
          <h3>Exact commands</h3>
          <pre className="commands" aria-label="Commands Apply runs">
            {preview.commands.join('\n')}
          </pre>
          {preview.undoCommands.length > 0 && (
            <details className="undo-commands">
              <summary>Commands Undo runs</summary>
              <pre>{preview.undoCommands.join('\n')}</pre>
            </details>
          )}
          {dialog.comparison.length > 0 && (
            <Comparison rows={dialog.comparison} undone={dialog.phase === 'undone'} />
          )}
          {dialog.message && (
            <p className="fix-message" role="status">
              {dialog.phase === 'undone' ? 'Undone. ' : dialog.phase === 'applied' ? 'Applied. ' : ''}
              {dialog.message}
            </p>
          )}
          {dialog.error && (
            <p className="fix-error" role="alert">
              {dialog.error}
            </p>
          )}
          <div className="button-row dialog-buttons">
            {(dialog.phase === 'review' || dialog.phase === 'applying' || dialog.phase === 'undone') && (
              <button
                type="button"
                className="button primary"
                onClick={() => void applyFix()}
                disabled={busy}
              >
                {dialog.phase === 'applying'
                  ? 'Applying…'
                  : dialog.phase === 'undone'
                    ? 'Apply again'
                    : 'Apply'}
              </button>
            )}
            {(dialog.phase === 'applied' || dialog.phase === 'undoing') && (
              <button type="button" className="button" onClick={() => void undoFix()} disabled={busy}>
                {dialog.phase === 'undoing' ? 'Undoing…' : 'Undo'}
              </button>
            )}
            <button type="button" className="button subtle" onClick={closeFix} disabled={busy}>
              {dialog.phase === 'review' ? 'Cancel' : 'Close'}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

function Comparison({ rows, undone }: { rows: CheckComparison[]; undone: boolean }): React.JSX.Element {
  return (
    <section className="comparison" aria-labelledby="comparison-heading">
      <h3 id="comparison-heading">Checked again {undone ? 'after Undo' : 'after the fix'}</h3>
      {rows.map((row) => (
        <div key={row.id} className="comparison-item">
          <h4 id={`comparison-${row.id}`}>{row.title}</h4>
          <table aria-labelledby={`comparison-${row.id}`}>
            <thead>
              <tr>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <CheckCell check={row.before} />
                </td>
                <td>
                  <CheckCell check={row.after} />
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function CheckCell({ check }: { check: CheckComparison['before'] }): React.JSX.Element {
  if (!check) return <>{STATE_LABEL.skip}</>;
  return (
    <span className="comparison-cell">
      <StatusIcon state={check.status} /> <span>{check.summary}</span>
    </span>
  );
}
