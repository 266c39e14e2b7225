// Short confirmations ("copied", "saved") in a polite live region, so screen readers hear them too.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store-context';

export function NoticeBar(): React.JSX.Element {
  const notice = useAppStore((s) => s.notice);
  const [hiddenId, setHiddenId] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setHiddenId(notice.id), 6000);
    return () => clearTimeout(timer);
  }, [notice]);
  const visible = notice !== null && notice.id !== hiddenId;
  return (
    <div className="notice-region" role="status" aria-live="polite">
      {visible && <p className={`notice notice-${notice.tone}`}>{notice.text}</p>}
    </div>
  );
}
