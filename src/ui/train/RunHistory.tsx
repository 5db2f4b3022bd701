import { memo } from 'react';
import { useAppStore } from '../../state/store';

const when = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/** Finished runs kept in this browser: reopen one's curves and numbers, or forget it. */
function RunHistoryView({ disabled }: { disabled: boolean }) {
  const records = useAppStore((s) => s.records);
  const shown = useAppStore((s) => s.run.record);
  const showRecord = useAppStore((s) => s.showRecord);
  const forgetRecord = useAppStore((s) => s.forgetRecord);
  if (records.length === 0) return null;
  return (
    <section className="run-history" aria-labelledby="run-history-title">
      <h3 id="run-history-title">Earlier runs in this browser</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Model</th>
            <th scope="col">Data</th>
            <th scope="col">Epochs</th>
            <th scope="col">Backend</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} aria-current={r.id === shown ? 'true' : undefined}>
              <td>{when(r.date)}</td>
              <td>{r.modelName}</td>
              <td>{r.dataset}</td>
              <td>{r.epochs.length}</td>
              <td>{r.backend}</td>
              <td>
                {r.testAccuracy === null ? '—' : `${(r.testAccuracy * 100).toFixed(1)}%`}
                {r.stopped ? ' (stopped)' : ''}
              </td>
              <td className="button-row">
                <button
                  type="button"
                  disabled={disabled || r.id === shown}
                  onClick={() => showRecord(r.id)}
                  aria-label={`Show the run of ${when(r.date)}`}
                >
                  Show
                </button>
                <button
                  type="button"
                  disabled={disabled}
                  onClick={() => forgetRecord(r.id)}
                  aria-label={`Forget the run of ${when(r.date)}`}
                >
                  Forget
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Re-rendered only when its props or its own store values change, not at every training step. */
export const RunHistory = memo(RunHistoryView);
