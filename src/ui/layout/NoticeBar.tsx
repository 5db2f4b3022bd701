import { useEffect } from 'react';
import { useAppStore } from '../../state/store';

/** Messages (a bad file, a copied link) in a live region; information fades, errors stay. */
export function NoticeBar() {
  const notice = useAppStore((s) => s.notice);
  const dismiss = useAppStore((s) => s.dismiss);
  useEffect(() => {
    if (notice?.kind !== 'info') return;
    const timer = setTimeout(dismiss, 5000);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <div
      className="notice-region"
      role={notice?.kind === 'error' ? 'alert' : 'status'}
      aria-live={notice?.kind === 'error' ? 'assertive' : 'polite'}
    >
      {notice && (
        <div className={`notice ${notice.kind}`} key={notice.id}>
          <span>{notice.text}</span>
          <button type="button" onClick={dismiss} aria-label="Dismiss message">
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
