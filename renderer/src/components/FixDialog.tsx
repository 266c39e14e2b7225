// The fix dialog: what will change, the exact commands, whether it needs an administrator, Apply / Cancel.
// Title and buttons stay in view (only the middle scrolls), so after Apply the outcome is never off-screen
// with the buttons. After Apply the fix's checks run again (before/after table), and the same address is
// diagnosed again to answer "did this fix it?". A fix on uncertain evidence is never the primary action.
// A native modal <dialog>: it traps focus, makes the page behind it inert, and closes on Escape.
import { useEffect, useRef } from 'react';
import type { CheckComparison } from '../../../electron/ipc/contract';
import type { FixDialogState, FixPhase, StreamRecheck } from '../store';
import { useAppStore } from '../store-context';
import { STATE_LABEL } from '../words';
import { ActionLabel } from './AdminShield';
import { StatusIcon } from './StatusIcon';

const OUTCOME_PREFIX: Record<FixPhase, string> = {
  review: '',
  applying: '',
  applied: 'Applied. ',
  undoing: '',
  undone: 'Undone. ',
};

const APPLY_LABEL: Partial<Record<FixPhase, string>> = {
  review: 'Apply',
  applying: 'Applying…',
  undone: 'Apply again',
};

const UNDO_LABEL: Partial<Record<FixPhase, string>> = {
  applied: 'Undo',
  undoing: 'Undoing…',
};

export function FixDialog(): React.JSX.Element | null {
  const dialog = useAppStore((s) => s.fixDialog);
  const applyFix = useAppStore((s) => s.applyFix);
  const undoFix = useAppStore((s) => s.undoFix);
  const closeFix = useAppStore((s) => s.closeFix);
  const recheckStream = useAppStore((s) => s.recheckStream);
  const ref = useRef<HTMLDialogElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const open = dialog !== null;
  const phase = dialog?.phase;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  // After Apply or Undo, bring the outcome into view inside the scrolling middle; title and buttons stay.
  useEffect(() => {
    if (phase === 'applied' || phase === 'undone') outcomeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [phase]);

  const busy = phase === 'applying' || phase === 'undoing';
  const preview = dialog?.preview;
  const applyLabel = phase ? APPLY_LABEL[phase] : undefined;
  const undoLabel = phase ? UNDO_LABEL[phase] : undefined;
  // A fix that may not apply is offered, but never as the obvious next click.
  const applyClass = preview?.doubt ? 'button' : 'button primary';
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
        <div className="fix-frame" aria-busy={busy}>
          <header className="fix-head">
            <p className="eyebrow">Fix on this computer</p>
            <h2 id="fix-title">{preview.title}</h2>
          </header>
          <div className="fix-scroll">
            <p id="fix-description">{preview.description}</p>
            {preview.doubt && (
              <p className="fix-doubt">
                <strong>This may not be the cause.</strong> {preview.doubt}
              </p>
            )}
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
            <div ref={outcomeRef} className="fix-outcome">
              {dialog.message && (
                <p className="fix-message" role="status">
                  {OUTCOME_PREFIX[dialog.phase]}
                  {dialog.message}
                </p>
              )}
              {dialog.error && (
                <p className="fix-error" role="alert">
                  {dialog.error}
                </p>
              )}
              {dialog.recheck && <Recheck recheck={dialog.recheck} />}
              {dialog.comparison.length > 0 && (
                <Comparison rows={dialog.comparison} undone={dialog.phase === 'undone'} />
              )}
            </div>
          </div>
          <footer className="button-row dialog-buttons fix-foot">
            {applyLabel && (
              <button type="button" className={applyClass} onClick={() => void applyFix()} disabled={busy}>
                <ActionLabel text={applyLabel} needsAdmin={preview.needsAdmin} />
              </button>
            )}
            {undoLabel && (
              <button type="button" className="button" onClick={() => void undoFix()} disabled={busy}>
                <ActionLabel text={undoLabel} needsAdmin={preview.needsAdmin} />
              </button>
            )}
            {canCheckAgain(dialog) && (
              <button type="button" className="button" onClick={() => void recheckStream()}>
                Check the stream again
              </button>
            )}
            <button type="button" className="button subtle" onClick={closeFix} disabled={busy}>
              {dialog.phase === 'review' ? 'Cancel' : 'Close'}
            </button>
          </footer>
        </div>
      )}
    </dialog>
  );
}

const canCheckAgain = (dialog: FixDialogState): boolean =>
  dialog.phase === 'applied' && dialog.recheck !== null && dialog.recheck.phase !== 'running';

/** "Did this fix it?" — and how that was found out, plainly. */
function Recheck({ recheck }: { recheck: StreamRecheck }): React.JSX.Element {
  const how = `Checked by running the whole diagnosis again for ${recheck.url}, with the same options.`;
  if (recheck.phase === 'running') {
    return (
      <p className="fix-recheck" role="status">
        <StatusIcon state="running" /> Does the stream play now? Running the whole diagnosis again for{' '}
        {recheck.url}, with the same options…
      </p>
    );
  }
  if (recheck.phase === 'failed') {
    return (
      <p className="fix-recheck fix-recheck-unknown" role="status">
        <strong>Whether the stream plays now is not known:</strong> {recheck.summary}
      </p>
    );
  }
  return (
    <p className={`fix-recheck ${recheck.plays ? 'fix-recheck-yes' : 'fix-recheck-no'}`} role="status">
      <StatusIcon state={recheck.plays ? 'pass' : 'fail'} />{' '}
      <strong>
        {recheck.plays ? 'Yes — the stream can play now.' : 'Not yet — the stream still does not play.'}
      </strong>{' '}
      {recheck.summary} <span className="muted">{how}</span>
    </p>
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
