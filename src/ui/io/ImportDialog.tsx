import { useEffect, useId, useRef, useState } from 'react';
import { readModelText } from '../../io/read-model';
import { useAppStore } from '../../state/store';

/** A dialog to paste a ConvScope model, Keras JSON or a model.json. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const loadModel = useAppStore((s) => s.loadModel);
  const id = useId();
  useEffect(() => {
    const d = dialog.current;
    d?.showModal();
    return () => d?.close();
  }, []);
  const submit = () => {
    const read = readModelText(text);
    if (!read.ok) {
      setError(read.error);
      return;
    }
    loadModel(read.model, 'paste');
    onClose();
  };
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} onCancel={onClose}>
      <h2 id={`${id}-title`}>Paste a model</h2>
      <p>A ConvScope model, Keras JSON (model.to_json()) or a TensorFlow.js model.json.</p>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        Model JSON
      </label>
      <textarea
        id={`${id}-text`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={12}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        autoFocus
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="primary" onClick={submit}>
          Open
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
