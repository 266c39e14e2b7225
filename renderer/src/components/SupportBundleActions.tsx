// "Save a support bundle": one file with the run, this computer's facts and the app log, written next to the
// portable exe (or in Documents). Nothing is sent; the app says where the file is and can show it.
import { useAppStore } from '../store-context';

export function SupportBundleActions(): React.JSX.Element {
  const saving = useAppStore((s) => s.bundleSaving);
  const saved = useAppStore((s) => s.savedBundle);
  const save = useAppStore((s) => s.saveSupportBundle);
  const show = useAppStore((s) => s.showSavedBundle);
  return (
    <div className="support-bundle">
      <button type="button" className="button" disabled={saving} onClick={() => void save()}>
        {saving ? 'Saving the support bundle…' : 'Save a support bundle'}
      </button>
      {saved && (
        <p className="support-bundle-saved" role="status">
          Saved to <code>{saved.path}</code>. Nothing was sent: send this file to your IT contact.{' '}
          <button type="button" className="link-button" onClick={() => void show()}>
            Show in folder
          </button>
        </p>
      )}
    </div>
  );
}
