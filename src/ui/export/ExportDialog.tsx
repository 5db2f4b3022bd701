import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { exportModel, TARGETS, type Target } from '../../io/export';
import { selectAnalysis, useAppStore } from '../../state/store';
import { download } from '../../viz/export-image';
import { highlightCode } from './highlight';
import './highlight.css';

const ORDER: Target[] = ['pytorch', 'train-script', 'keras', 'keras-json'];

/**
 * The model as PyTorch, Keras and a training script, highlighted, with copy and download. A
 * model a target cannot express shows why, at which layer, instead of code. Loaded only when
 * opened (highlight.js stays out of the first download).
 */
export default function ExportDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const analysis = useAppStore(selectAnalysis);
  const notify = useAppStore((s) => s.notify);
  const [target, setTarget] = useState<Target>('pytorch');
  const id = useId();
  useEffect(() => {
    const d = dialog.current;
    d?.showModal();
    return () => d?.close();
  }, []);
  const result = useMemo(() => exportModel(analysis, target), [analysis, target]);
  const html = useMemo(
    () => (result.ok ? highlightCode(result.value, TARGETS[target].language) : ''),
    [result, target],
  );
  const file = TARGETS[target].file(analysis.model.name.replace(/[^\w.-]+/g, '_') || 'model');
  const copy = async () => {
    if (!result.ok) return;
    try {
      await navigator.clipboard.writeText(result.value);
      notify('info', `Copied ${file}.`);
    } catch {
      notify('error', 'The browser did not allow copying; use Download.');
    }
  };
  return (
    <dialog ref={dialog} className="dialog export-dialog" aria-labelledby={`${id}-title`} onCancel={onClose}>
      <div className="export-head">
        <h2 id={`${id}-title`}>Export {analysis.model.name}</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="tabs" role="tablist" aria-label="Format">
        {ORDER.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={t === target}
            aria-controls={`${id}-panel`}
            onClick={() => setTarget(t)}
          >
            {TARGETS[t].label}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-label={TARGETS[target].label}>
        {result.ok ? (
          <>
            <p className="muted">
              {target === 'pytorch' && 'A self-contained module; build_model() returns it. Save it as model.py.'}
              {target === 'train-script' &&
                'Trains model.py on CIFAR-10 or MNIST with this app’s recipe; several GPUs with torchrun.'}
              {target === 'keras' && 'Keras 3 code with the same layers as the Keras JSON.'}
              {target === 'keras-json' &&
                'model.to_json() layout; loads in Keras 3 (model_from_json) and TensorFlow.js.'}
            </p>
            <div className="button-row">
              <button type="button" className="primary" onClick={() => void copy()}>
                Copy
              </button>
              <button
                type="button"
                onClick={() =>
                  download(
                    file,
                    result.value,
                    TARGETS[target].language === 'json' ? 'application/json' : 'text/x-python',
                  )
                }
              >
                Download {file}
              </button>
            </div>
            <pre className="code" tabIndex={0} aria-label={`${TARGETS[target].label} code`}>
              {/* eslint-disable-next-line no-restricted-syntax -- highlightCode escapes the code it wraps */}
              <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />
            </pre>
          </>
        ) : (
          <div role="alert">
            <p>This model cannot be written as {TARGETS[target].label}; nothing is exported:</p>
            <ul className="problems">
              {result.problems.map((p, i) => (
                <li key={i} className="error">
                  <strong>{p.layer ?? 'model'}</strong>: {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </dialog>
  );
}
