// One check: its state and title (and a timer while it runs); expands to the plain-words details, how long
// it took, the raw evidence and the command an IT person could run to see the same thing.
import { useId, useState } from 'react';
import type { CheckView } from '../run-state';
import { CHECK_WORDS, formatSeconds } from '../words';
import { CopyButton } from './CopyButton';
import { Elapsed } from './Elapsed';
import { StatusIcon } from './StatusIcon';

export function CheckRow({
  view,
  notNeeded = false,
}: {
  view: CheckView;
  /** The verdict found a working address that does not need this check: say so beside its status. */
  notNeeded?: boolean;
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const { check } = view;
  const expandable = check !== null;
  // What a check had seen when Cancel stopped it is not a finding ("no server answered" while its port
  // row says open): it says it was stopped instead.
  const summary = view.state === 'cancelled' ? CHECK_WORDS.stopped : check?.summary;
  const took = view.startedAt !== null && view.finishedAt !== null ? view.finishedAt - view.startedAt : null;
  return (
    <li className={`check check-${view.state}${notNeeded ? ' check-quiet' : ''}`}>
      <div className="check-line">
        <StatusIcon state={view.state} />
        {expandable ? (
          <button
            type="button"
            className="check-toggle"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
          >
            <span className="check-title">{view.title}</span>
            <svg
              className="chevron"
              viewBox="0 0 20 20"
              width="16"
              height="16"
              aria-hidden="true"
              focusable="false"
            >
              <path
                d="M7 5l5 5-5 5"
                fill="none"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
          </button>
        ) : (
          <span className="check-title">{view.title}</span>
        )}
        {notNeeded && <span className="check-not-needed">{CHECK_WORDS.notNeeded}</span>}
        {view.state === 'running' && <Elapsed startedAt={view.startedAt} finishedAt={null} running />}
      </div>
      {check && !open && <p className="check-summary">{summary}</p>}
      {check && (
        <div id={detailsId} className="check-details" hidden={!open}>
          <p>{summary}</p>
          {took !== null && <p className="check-took">{CHECK_WORDS.took(formatSeconds(took))}</p>}
          {check.evidence && (
            <>
              <h4>{CHECK_WORDS.evidence}</h4>
              <pre className="evidence">{check.evidence}</pre>
            </>
          )}
          {check.command && (
            <>
              <h4>{CHECK_WORDS.command}</h4>
              <div className="command">
                <pre>{check.command}</pre>
                <CopyButton text={check.command} what="Command" />
              </div>
            </>
          )}
        </div>
      )}
    </li>
  );
}
