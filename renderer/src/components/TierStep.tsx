// One tier of the wizard as a numbered step that opens and closes; its counts show even when closed.
import { useId } from 'react';
import type { DiagnosisReport, Tier } from '../../../electron/ipc/contract';
import type { CheckView } from '../run-state';
import { mattersToVerdict, summarizeTier } from '../verdict-tiers';
import { TIER_BLURB, TIER_TITLE, tierStatusWords } from '../words';
import { CheckRow } from './CheckRow';

export function TierStep({
  tier,
  index,
  checks,
  report,
  open,
  onToggle,
}: {
  tier: Tier;
  index: number;
  checks: CheckView[];
  /** The finished run's report: the tier's colour follows what matters to its verdict. */
  report: DiagnosisReport | null;
  open: boolean;
  onToggle(): void;
}): React.JSX.Element {
  const panelId = useId();
  const inTier = checks.filter((c) => c.tier === tier);
  const summary = summarizeTier(checks, tier, report);
  const tone = summary.tone;
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
          <span className="tier-status">{tierStatusWords(summary)}</span>
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
            <CheckRow
              key={view.id}
              view={view}
              notNeeded={report !== null && view.state !== 'pass' && !mattersToVerdict(view, report)}
            />
          ))}
        </ul>
      </div>
    </section>
  );
}
