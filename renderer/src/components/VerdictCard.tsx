// The answer: what is wrong, why, and the one thing to do — copy the tested address, open it in a player,
// review a fix — plus what to tell the server's administrator when the fault is theirs.
import type {
  DiagnosisReport,
  FixSummary,
  HelpTopic,
  PlayerId,
  PlayerInfo,
} from '../../../electron/ipc/contract';
import { VERDICT_HEADLINE, VLC_FIRST } from '../words';
import { CopyButton } from './CopyButton';
import { AdminShield } from './AdminShield';

export interface VerdictCardProps {
  report: DiagnosisReport;
  players: PlayerInfo[];
  fixes: FixSummary[];
  onOpenInPlayer(player: PlayerId, url: string): void;
  onReviewFix(fixId: string): void;
  onOpenHelp(topic: HelpTopic): void;
}

export function VerdictCard({
  report,
  players,
  fixes,
  onOpenInPlayer,
  onReviewFix,
  onOpenHelp,
}: VerdictCardProps): React.JSX.Element {
  const { verdict } = report;
  const headline = VERDICT_HEADLINE[verdict.code];
  const url = verdict.suggestedUrl;
  // Windows Media Player cannot play a non-Windows-Media server, nor VLC's mmst/mmsu/mmsh address names.
  const vlcOnly = VLC_FIRST.has(verdict.code) || /^mms[tuh]:/i.test(url ?? '');
  const playable = players.filter((p) => p.available && (p.id === 'vlc' || !vlcOnly));
  const fixFirst = fixes.length > 0 && !url;
  return (
    <section className={`verdict verdict-${headline.tone}`} aria-labelledby="verdict-heading">
      <p className="verdict-label">{headline.label}</p>
      <h2 id="verdict-heading" tabIndex={-1}>
        {verdict.summary}
      </h2>
      <p className="verdict-reason">
        <span className="muted">Why: </span>
        {verdict.reason}
      </p>
      {url && (
        <div className="verdict-url">
          <span className="verdict-url-label" id="tested-url-label">
            Tested address
          </span>
          <code aria-labelledby="tested-url-label">{url}</code>
        </div>
      )}
      <div className="verdict-actions">
        {url && <CopyButton text={url} what="Address" label="Copy address" className="button primary" />}
        {url &&
          playable.map((player) => (
            <button
              key={player.id}
              type="button"
              className="button"
              onClick={() => onOpenInPlayer(player.id, url)}
            >
              Open in {player.id === 'wmp' ? 'Windows Media Player' : 'VLC'}
            </button>
          ))}
        {fixes.map((fix) => (
          <button
            key={fix.id}
            type="button"
            // A fix on uncertain evidence is never the primary action.
            className={`button ${fixFirst && fix.doubt === null ? 'primary' : ''}`}
            onClick={() => onReviewFix(fix.id)}
          >
            {fix.needsAdmin && <AdminShield />}
            {fix.applied ? `Applied: ${fix.title} — review or undo` : `Review fix: ${fix.title}`}
          </button>
        ))}
      </div>
      <div className="verdict-fix">
        <h3>What to do</h3>
        <p>{verdict.fix}</p>
      </div>
      {verdict.adminNote && (
        <div className="admin-note">
          <h3>Tell the server’s administrator</h3>
          <p>{verdict.adminNote}</p>
          <CopyButton text={verdict.adminNote} what="Note for the administrator" label="Copy note" />
        </div>
      )}
      {report.error && (
        <p className="error-meaning">
          <span className="muted">
            {report.error.hex} {report.error.name}:{' '}
          </span>
          {report.error.meaning}
        </p>
      )}
      <HelpLinks
        topics={[
          ...(vlcOnly || !players.some((p) => p.id === 'vlc' && p.available) ? (['vlc'] as const) : []),
          ...(fixes.length > 0 || FIREWALL_VERDICTS.has(verdict.code) ? (['windows-firewall'] as const) : []),
          'protocols' as const,
        ]}
        onOpenHelp={onOpenHelp}
      />
    </section>
  );
}

const FIREWALL_VERDICTS: ReadonlySet<string> = new Set(['ports-filtered', 'host-unreachable', 'ok']);

const HELP_LABEL: Record<HelpTopic, string> = {
  vlc: 'Get VLC media player (videolan.org)',
  'windows-firewall': 'About Windows Firewall (Microsoft Learn)',
  protocols: 'How Windows Media streaming works, for IT staff (Microsoft’s protocol specification)',
};

function HelpLinks({
  topics,
  onOpenHelp,
}: {
  topics: HelpTopic[];
  onOpenHelp(topic: HelpTopic): void;
}): React.JSX.Element {
  return (
    <nav className="help-links" aria-label="Learn more">
      <h3>Learn more</h3>
      <ul>
        {topics.map((topic) => (
          <li key={topic}>
            <button type="button" className="link-button" onClick={() => onOpenHelp(topic)}>
              {HELP_LABEL[topic]}
              <span className="visually-hidden"> (opens in your web browser)</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
