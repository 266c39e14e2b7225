// The answer: what is wrong, why, and the one thing to do — copy the tested address, open it in a player,
// review a fix — plus what to tell the server's administrator when the fault is theirs.
import type {
  DiagnosisReport,
  FixSummary,
  HelpTopic,
  PlayerId,
  PlayerInfo,
} from '../../../electron/ipc/contract';
import { HELP_LABEL, HELP_WORDS, VERDICT_HEADLINE, VLC_FIRST } from '../words';
import { CopyButton } from './CopyButton';
import { AdminShield } from './AdminShield';
import { FollowedChain } from './FollowedChain';

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
  const primaryFixId = fixFirst ? fixes.find((fix) => fix.doubt === null)?.id : undefined;
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
      <FollowedChain report={report} />
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
            // One primary action: the tested address when there is one, else the first fix whose evidence is
            // certain (a fix on uncertain evidence is never the primary action).
            className={fix.id === primaryFixId ? 'button primary' : 'button'}
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
        forEveryone={[
          'wmp-help',
          ...(vlcOnly || !players.some((p) => p.id === 'vlc' && p.available) ? (['vlc'] as const) : []),
        ]}
        forItStaff={[
          ...(fixes.length > 0 || FIREWALL_VERDICTS.has(verdict.code) ? (['windows-firewall'] as const) : []),
          'protocols',
        ]}
        onOpenHelp={onOpenHelp}
      />
    </section>
  );
}

const FIREWALL_VERDICTS: ReadonlySet<string> = new Set(['ports-filtered', 'host-unreachable', 'ok']);

/** Help for the person at the computer first; specifications and admin pages under their own label. */
function HelpLinks({
  forEveryone,
  forItStaff,
  onOpenHelp,
}: {
  forEveryone: HelpTopic[];
  forItStaff: HelpTopic[];
  onOpenHelp(topic: HelpTopic): void;
}): React.JSX.Element {
  const list = (topics: HelpTopic[], label: string): React.JSX.Element => (
    <ul aria-label={label}>
      {topics.map((topic) => (
        <li key={topic}>
          <button type="button" className="link-button" onClick={() => onOpenHelp(topic)}>
            {HELP_LABEL[topic]}
            <span className="visually-hidden"> {HELP_WORDS.opensInBrowser}</span>
          </button>
        </li>
      ))}
    </ul>
  );
  return (
    <nav className="help-links" aria-labelledby="help-heading">
      <h3 id="help-heading">{HELP_WORDS.heading}</h3>
      {list(forEveryone, HELP_WORDS.heading)}
      <h4 className="help-it-heading">{HELP_WORDS.forItStaff}</h4>
      {list(forItStaff, HELP_WORDS.forItStaff)}
    </nav>
  );
}
