// One tier of the wizard as a numbered step that opens and closes; its counts show even when closed.
import { useId } from 'react';
import type { Tier } from '../../../electron/ipc/contract';
import { tierCounts, type CheckView } from '../run-state';
import { TIER_BLURB, TIER_TITLE } from '../words';
import { CheckRow } from './CheckRow';

export function TierStep({
  tier,
  index,
  checks,
  open,
  onToggle,
}: {
  tier: Tier;
  index: number;
  checks: CheckView[];
  open: boolean;
  onToggle(): void;
}): React.JSX.Element {
  const panelId = useId();
  const inTier = checks.filter((c) => c.tier === tier);
  const counts = tierCounts(checks, tier);
  const finished = counts.done === counts.total && counts.total > 0;
  const parts = [
    counts.fail > 0 ? `${counts.fail} failed` : null,
    counts.warn > 0 ? `${counts.warn} to note` : null,
    counts.pass > 0 ? `${counts.pass} passed` : null,
    counts.skip > 0 ? `${counts.skip} skipped` : null,
  ].filter(Boolean);
  const status =
    counts.total === 0
      ? 'No checks'
      : finished
        ? parts.join(' · ')
        : `${counts.done} of ${counts.total} done`;
  const tone = counts.fail > 0 ? 'bad' : counts.warn > 0 ? 'warn' : finished ? 'good' : 'neutral';
  return (
    <section className={`tier tier-${tone}`} aria-labelledby={`${panelId}-heading`}>
      <h3 className="tier-heading" id={`${panelId}-heading`}>
        <button
          type="button"
          className="tier-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={onToggle}
        >
          <span className="tier-number" aria-hidden="true">
            {index + 1}
          </span>
          <span className="tier-text">
            <span className="tier-name">{TIER_TITLE[tier]}</span>
            <span className="tier-blurb">{TIER_BLURB[tier]}</span>
          </span>
          <span className="tier-status">{status}</span>
          <svg
            className="chevron"
            viewBox="0 0 20 20"
            width="18"
            height="18"
            aria-hidden="true"
            focusable="false"
          >
            <path d="M7 5l5 5-5 5" fill="none" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      </h3>
      <div id={panelId} hidden={!open}>
        <ul className="checks" aria-label={`${TIER_TITLE[tier]} checks`}>
          {inTier.map((view) => (
            <CheckRow key={view.id} view={view} />
          ))}
        </ul>
      </div>
    </section>
  );
}
