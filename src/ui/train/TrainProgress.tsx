import { memo, useCallback, useMemo } from 'react';
import { formatCount } from '../../engine/shape/format';
import type { TrainingRun } from '../../state/train-slice';
import { createTrainCharts } from '../../viz/train-charts';
import { useD3View } from '../hooks/useD3View';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${s} s`;
}

/** Where the run is: this epoch and the whole run, time left, speed, memory; the live curves. */
export function TrainProgress({ run }: { run: TrainingRun }) {
  const { last, settings } = run;
  const totalEpochs = settings?.epochs ?? 1;
  const data = useMemo(
    () => ({ steps: run.steps, epochs: run.epochs, totalEpochs }),
    [run.steps, run.epochs, totalEpochs],
  );
  const create = useCallback((el: HTMLDivElement) => createTrainCharts(el), []);
  const { container } = useD3View(create, data);
  const done = last ? (last.epoch - 1 + last.step / last.stepsPerEpoch) / totalEpochs : 0;
  const left = last && done > 0 ? ((1 - done) * last.seconds) / done : NaN;
  return (
    <section className="train-progress" aria-label="Progress">
      {last && (
        <div className="bars">
          <label>
            <span>
              Epoch {last.epoch} of {totalEpochs}: step {last.step} of {last.stepsPerEpoch}
            </span>
            <progress max={last.stepsPerEpoch} value={last.step} />
          </label>
          <label>
            <span>
              Run: {Math.round(done * 100)}%{run.status === 'running' ? ` · about ${duration(left)} left` : ''}
            </span>
            <progress max={1} value={done} />
          </label>
          <dl className="train-numbers">
            <dt>Speed</dt>
            <dd>{formatCount(Math.round(last.imagesPerSecond))} images/s</dd>
            <dt>Loss</dt>
            <dd>{last.loss.toFixed(3)}</dd>
            <dt>Learning rate</dt>
            <dd>{last.learningRate.toPrecision(3)}</dd>
            <dt>Tensors</dt>
            <dd>
              {formatCount(last.tensors)} ({(last.bytes / 2 ** 20).toFixed(0)} MB)
            </dd>
            {run.firstStepSeconds !== null && (
              <>
                <dt>First step after</dt>
                <dd>{run.firstStepSeconds.toFixed(1)} s</dd>
              </>
            )}
          </dl>
        </div>
      )}
      <div className="train-chart" ref={container} />
      {run.epochs.length > 0 && <EpochTable epochs={run.epochs} />}
    </section>
  );
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Every finished epoch's numbers, as the curves show them (drawn again at an epoch's end only). */
const EpochTable = memo(function EpochTable({ epochs }: { epochs: TrainingRun['epochs'] }) {
  return (
    <table className="epoch-table">
      <caption>Per epoch</caption>
      <thead>
        <tr>
          <th scope="col">Epoch</th>
          <th scope="col">Train loss</th>
          <th scope="col">Train accuracy</th>
          <th scope="col">Test loss</th>
          <th scope="col">Test accuracy</th>
          <th scope="col">Time</th>
          <th scope="col">Images/s</th>
        </tr>
      </thead>
      <tbody>
        {epochs.map((e) => (
          <tr key={e.epoch}>
            <th scope="row">{e.epoch}</th>
            <td>{e.trainLoss.toFixed(3)}</td>
            <td>{percent(e.trainAccuracy)}</td>
            <td>{e.testLoss.toFixed(3)}</td>
            <td>{percent(e.testAccuracy)}</td>
            <td>{duration(e.seconds)}</td>
            <td>{formatCount(Math.round(e.imagesPerSecond))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
