// Below a bundle's checks: the facts of the remote computer (OS, Windows Media Player, firewall, WMServer) and
// the app's log of the run. Text from the file, rendered as text.
import { useAppStore } from '../store-context';

const STATUS_WORD = { ok: 'read', unavailable: 'not available', error: 'could not be read' } as const;

export function OpenedRunDetails(): React.JSX.Element | null {
  const opened = useAppStore((s) => s.openedRun);
  if (!opened || (!opened.systemFacts && opened.appLog.length === 0)) return null;
  const facts = opened.systemFacts;
  return (
    <section className="system-facts" aria-labelledby="system-facts-heading">
      <h2 id="system-facts-heading">That computer</h2>
      {facts && (
        <p className="muted">
          Read on {facts.computerName} ({facts.platform}) at {facts.collectedAt}.
        </p>
      )}
      {facts?.sections.map((section) => (
        <details key={section.id} open={section.status === 'ok'}>
          <summary>
            {section.title} — {STATUS_WORD[section.status]}
          </summary>
          <p className="label">Command</p>
          <pre>{section.command}</pre>
          <pre>{section.lines.join('\n')}</pre>
        </details>
      ))}
      {opened.appLog.length > 0 && (
        <details>
          <summary>App log ({opened.appLog.length} lines)</summary>
          <pre>{opened.appLog.join('\n')}</pre>
        </details>
      )}
    </section>
  );
}
