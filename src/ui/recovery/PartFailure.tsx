import { useEffect, useId, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { newVersionReady, onNewVersion } from '../../pwa/register';
import { failureText, isLoadFailure } from './load-failure';
import { reloadKeepingModel } from './reload';
import './recovery.css';

interface Props {
  readonly error: unknown;
  /** The part as people name it, to start a sentence: "The Train panel". */
  readonly part: string;
  readonly onRetry: () => void;
  /** A dialog's failure shows as a dialog, with Close. */
  readonly onClose?: () => void;
}

/** What to do about a failure, knowing whether a newer version has taken over since the page opened. */
function advice(error: unknown, updated: boolean): string {
  if (updated)
    return 'ConvScope has been updated since this page was opened: Reload opens the new version with your model.';
  if (isLoadFailure(error))
    return 'Check the connection, then Retry. If ConvScope has been updated since this page was opened, Reload opens the new version with your model.';
  return 'Retry, or Reload the page: your model is kept.';
}

/** A part that failed: what went wrong, Retry, and Reload (first when a newer version is what it missed). */
export function PartFailure({ error, part, onRetry, onClose }: Props) {
  const updated = useSyncExternalStore(onNewVersion, newVersionReady);
  const id = useId();
  const body = (
    <>
      <p id={`${id}-text`}>{failureText(part, error)}</p>
      <p className="muted">{advice(error, updated)}</p>
      <div className="button-row">
        <button type="button" className={updated ? undefined : 'primary'} onClick={onRetry}>
          Retry
        </button>
        <button type="button" className={updated ? 'primary' : undefined} onClick={reloadKeepingModel}>
          Reload
        </button>
        {onClose && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </>
  );
  if (onClose) return <FailureDialog labelledBy={`${id}-text`} onClose={onClose} body={body} />;
  return (
    <section className="part-failure" aria-labelledby={`${id}-text`}>
      {body}
    </section>
  );
}

function FailureDialog({ labelledBy, onClose, body }: { labelledBy: string; onClose: () => void; body: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    d?.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} className="dialog part-failure" aria-labelledby={labelledBy} onCancel={onClose}>
      {body}
    </dialog>
  );
}
