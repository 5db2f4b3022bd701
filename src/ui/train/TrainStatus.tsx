import { formatCount } from '../../engine/shape/format';
import { selectAnalysis, useAppStore } from '../../state/store';
import type { TrainingRun } from '../../state/train-slice';
import { BACKEND_LABELS, wasmLabel } from '../../train/protocol';

const bytes = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GB` : `${(n / 2 ** 20).toFixed(1)} MB`);

/** What the run is doing and on what: phase, backend (and why others were not used), the model check. */
export function TrainStatus({ run }: { run: TrainingRun }) {
  const analysis = useAppStore(selectAnalysis);
  const { phase, backend, model, error } = run;
  // How many workers and threads the chosen backend runs on, where it says; the list below says why not more.
  const chosen = backend?.tried.find((t) => t.ok && t.name === backend.name);
  return (
    <div className="train-status">
      {error && (
        <p className="train-error" role="alert">
          {error}
        </p>
      )}
      {phase && (
        <div className="phase" aria-live="polite">
          <span>{phase.detail}</span>
          {phase.progress !== undefined ? (
            <progress max={1} value={phase.progress} aria-label={phase.detail}>
              {Math.round(phase.progress * 100)}%
            </progress>
          ) : (
            // Bytes of unknown total, or a server not answering yet: busy, with no end to show.
            phase.loaded !== undefined && <progress aria-label={phase.detail} />
          )}
        </div>
      )}
      {!run.result && run.notice && (
        <p className="train-notice" role="status">
          {run.notice}
        </p>
      )}
      {backend && (
        <details className="backend">
          <summary>
            Backend: <strong>{BACKEND_LABELS[backend.name]}</strong>
            {chosen?.threads !== undefined && `, ${wasmLabel(chosen.workers ?? 1, chosen.threads)}`}
          </summary>
          <ul>
            {backend.tried.map((t) => (
              <li key={t.name} className={t.ok ? 'ok' : 'refused'}>
                {BACKEND_LABELS[t.name]}: {t.ok ? `works${t.note ? `, ${t.note}` : ''}` : t.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {model && (
        <div className="model-check">
          {model.mismatches.length === 0 ? (
            <p className="ok">
              The TensorFlow.js model matches the engine: every layer's shape, and {formatCount(model.params)}{' '}
              parameters
              {model.params === analysis.totals.params
                ? ''
                : ` (the engine counts ${formatCount(analysis.totals.params)})`}
              .{model.memory !== null && ` A step needs about ${bytes(model.memory)}.`}
            </p>
          ) : (
            <>
              <p className="train-error">
                The TensorFlow.js model differs from the engine in {model.mismatches.length} place
                {model.mismatches.length === 1 ? '' : 's'}:
              </p>
              <table className="mismatches">
                <thead>
                  <tr>
                    <th scope="col">Layer</th>
                    <th scope="col">What</th>
                    <th scope="col">Engine</th>
                    <th scope="col">TensorFlow.js</th>
                  </tr>
                </thead>
                <tbody>
                  {model.mismatches.map((m, i) => (
                    <tr key={i}>
                      <td>{m.layer}</td>
                      <td>{m.what}</td>
                      <td>{m.engine}</td>
                      <td>{m.tfjs}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </div>
  );
}
