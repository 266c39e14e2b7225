// The run: the address under test, overall progress and Cancel, then the verdict, the three tiers of checks
// filling in live, and the report actions.
import { useEffect, useRef } from 'react';
import { progressOf, TIERS } from '../run-state';
import { useAppStore } from '../store-context';
import { FixDialog } from './FixDialog';
import { OpenedRunBanner } from './OpenedRunBanner';
import { OpenedRunDetails } from './OpenedRunDetails';
import { ProgressBar } from './ProgressBar';
import { ReportActions } from './ReportActions';
import { TierStep } from './TierStep';
import { VerdictCard } from './VerdictCard';
import { formatSeconds } from '../words';
import { stillWaitingSentence } from '../../../electron/common/still-waiting';

export function Wizard(): React.JSX.Element | null {
  const run = useAppStore((s) => s.run);
  const openTiers = useAppStore((s) => s.openTiers);
  const players = useAppStore((s) => s.players);
  const fixes = useAppStore((s) => s.fixes);
  const toggleTier = useAppStore((s) => s.toggleTier);
  const cancel = useAppStore((s) => s.cancel);
  const backToStart = useAppStore((s) => s.backToStart);
  const openInPlayer = useAppStore((s) => s.openInPlayer);
  const openFix = useAppStore((s) => s.openFix);
  const openHelp = useAppStore((s) => s.openHelp);
  // A report or bundle someone sent: shown as it was, nothing re-run, nothing offered to change here.
  const readOnly = useAppStore((s) => s.openedRun !== null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const phase = run?.phase;

  useEffect(() => {
    headingRef.current?.focus();
  }, [run?.runId]);
  useEffect(() => {
    // The answer is what the person is waiting for: move focus to it (screen readers read it out).
    if (phase === 'finished') document.getElementById('verdict-heading')?.focus();
  }, [phase]);

  if (!run) return null;
  const progress = progressOf(run);
  const active = run.phase === 'running' || run.phase === 'cancelling';
  const statusText =
    run.phase === 'running'
      ? `Checking… ${progress.done} of ${progress.total} checks done.`
      : run.phase === 'cancelling'
        ? 'Stopping every check…'
        : run.phase === 'cancelled'
          ? 'Cancelled. Nothing is running any more.'
          : run.phase === 'failed'
            ? 'The diagnosis stopped unexpectedly.'
            : `Done in ${formatSeconds((run.finishedAt ?? run.startedAt) - run.startedAt)}.`;

  const announcement =
    run.phase === 'running'
      ? 'Diagnosis started: checking the server.'
      : run.phase === 'cancelling'
        ? 'Stopping the diagnosis.'
        : run.phase === 'cancelled'
          ? 'Diagnosis cancelled.'
          : run.phase === 'failed'
            ? 'The diagnosis stopped unexpectedly.'
            : 'Diagnosis finished.';

  return (
    <div className="wizard">
      <header className="run-header">
        <div className="run-title">
          <p className="eyebrow">
            {active ? 'Diagnosing' : readOnly ? 'Opened: diagnosis of' : 'Diagnosis of'}
          </p>
          <h1 ref={headingRef} tabIndex={-1} className="run-url">
            {run.url}
          </h1>
        </div>
        <div className="run-controls">
          {active ? (
            <button
              type="button"
              className="button danger"
              onClick={() => void cancel()}
              disabled={run.phase === 'cancelling'}
            >
              {run.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button type="button" className="button" onClick={backToStart}>
              {readOnly ? 'Close' : 'New diagnosis'}
            </button>
          )}
        </div>
      </header>
      <OpenedRunBanner />
      <div className="run-progress">
        <ProgressBar
          fraction={run.barFraction}
          done={progress.done}
          total={progress.total}
          label="Checks finished"
          stopped={run.phase === 'cancelled' || run.phase === 'failed'}
        />
        <p className="run-status">{statusText}</p>
        {run.phase === 'running' && run.waiting && (
          <p className="run-waiting">{stillWaitingSentence(run.waiting)}.</p>
        )}
        {/* Screen readers hear the turns of the run, not every tick of the counter. */}
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
      </div>

      {run.phase === 'finished' && run.report && (
        <VerdictCard
          report={run.report}
          players={readOnly ? [] : players}
          fixes={readOnly ? [] : fixes}
          onOpenInPlayer={(p, url) => void openInPlayer(p, url)}
          onReviewFix={(id) => void openFix(id)}
          onOpenHelp={(topic) => void openHelp(topic)}
        />
      )}
      {run.phase === 'cancelled' && (
        <section className="calm-panel" aria-label="Cancelled">
          <h2>You stopped the diagnosis</h2>
          <p>
            Every connection it had opened is closed. The checks that finished are below; start again whenever
            you like.
          </p>
        </section>
      )}
      {run.phase === 'failed' && (
        <section className="calm-panel" role="alert">
          <h2>The diagnosis stopped unexpectedly</h2>
          <p>{run.failure}</p>
        </section>
      )}

      <div className="tiers">
        {TIERS.map((tier, index) => (
          <TierStep
            key={tier}
            tier={tier}
            index={index}
            checks={run.checks}
            report={run.phase === 'finished' ? run.report : null}
            open={openTiers.includes(tier)}
            onToggle={() => toggleTier(tier)}
          />
        ))}
      </div>

      {readOnly && <OpenedRunDetails />}
      {run.phase === 'finished' && !readOnly && <ReportActions />}
      {!readOnly && <FixDialog />}
    </div>
  );
}
