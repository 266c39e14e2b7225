// A check's state as a shape and a colour, with the word for screen readers (colour is never the only cue).
import type { CheckState } from '../run-state';
import { STATE_LABEL } from '../words';

const PATHS: Record<CheckState, string> = {
  pass: 'M5 10.5l3.2 3.2L15 7',
  warn: 'M10 5.5v5.5M10 14.2v.3',
  fail: 'M6.5 6.5l7 7M13.5 6.5l-7 7',
  error: 'M6.5 6.5l7 7M13.5 6.5l-7 7',
  skip: 'M6 10h8',
  cancelled: 'M6 10h8',
  pending: '',
  running: '',
};

export function StatusIcon({ state }: { state: CheckState }): React.JSX.Element {
  return (
    <span className={`status-icon status-${state}`} role="img" aria-label={STATE_LABEL[state]}>
      <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
        {state === 'running' ? (
          <circle className="spinner" cx="10" cy="10" r="7" fill="none" strokeWidth="2.4" />
        ) : state === 'pending' ? (
          <circle cx="10" cy="10" r="6.5" fill="none" strokeWidth="1.8" strokeDasharray="2.5 2.5" />
        ) : (
          <>
            <circle cx="10" cy="10" r="9" className="status-disc" />
            <path
              d={PATHS[state]}
              fill="none"
              strokeWidth="2.2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </>
        )}
      </svg>
    </span>
  );
}
