import { useEffect } from 'react';
import type { Notice } from '../../state/notice-slice';
import { appStore, useAppStore } from '../../state/store';

/**
 * Messages (a bad file, a copied link, saved work) in live regions: errors are alerts, the rest
 * polite. Plain information fades; errors, questions and things under way stay until dismissed.
 */
export function NoticeBar() {
  const notices = useAppStore((s) => s.notices);
  return (
    <div className="notice-region">
      <div role="status" aria-live="polite">
        {notices.map((n) => n.kind === 'info' && <NoticeItem key={n.id} notice={n} />)}
      </div>
      <div role="alert" aria-live="assertive">
        {notices.map((n) => n.kind === 'error' && <NoticeItem key={n.id} notice={n} />)}
      </div>
    </div>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  const { id, lasting } = notice;
  useEffect(() => {
    if (lasting || notice.kind !== 'info') return;
    const timer = setTimeout(() => appStore.getState().dismiss(id), 5000);
    return () => clearTimeout(timer);
  }, [id, lasting, notice.kind]);
  const dismiss = () => appStore.getState().dismiss(id);
  return (
    <div className={`notice ${notice.kind}`} data-topic={notice.topic}>
      <span className="notice-text">{notice.text}</span>
      {notice.actions.length > 0 && (
        <span className="notice-actions">
          {notice.actions.map((a) => (
            <button
              type="button"
              key={a.label}
              onClick={() => {
                dismiss();
                a.run();
              }}
            >
              {a.label}
            </button>
          ))}
        </span>
      )}
      <button type="button" className="notice-close" onClick={dismiss} aria-label="Dismiss message">
        ✕
      </button>
    </div>
  );
}
