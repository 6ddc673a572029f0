import type { Notice } from '../state/reducer.js';

/** The one message of the page (an error is an alert, anything else a status), with a dismiss button. */
export function NoticeBar({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  if (!notice) return null;
  return (
    <div
      className={`notice ${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid={notice.kind === 'error' ? 'error' : 'info'}
    >
      {notice.title && <strong>{notice.title}. </strong>}
      {notice.text}
      <button type="button" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
