import { useAppStore } from '../store-context';
import { SupportBundleActions } from './SupportBundleActions';

export function ReportActions(): React.JSX.Element {
  const exportReport = useAppStore((s) => s.exportReport);
  const copySummary = useAppStore((s) => s.copySummary);
  return (
    <section className="report-actions" aria-labelledby="report-heading">
      <h2 id="report-heading">Keep a record</h2>
      <p className="muted">For IT staff or a support ticket: everything this run saw, exactly.</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void exportReport('html')}>
          Save report (HTML)
        </button>
        <button type="button" className="button" onClick={() => void exportReport('json')}>
          Save data (JSON)
        </button>
        <button type="button" className="button" onClick={() => void copySummary()}>
          Copy summary for a ticket
        </button>
      </div>
      <SupportBundleActions />
    </section>
  );
}
