import { useState } from 'react';
import { selectAnalysis, useAppStore } from '../../state/store';
import { TrainForm } from './TrainForm';
import { TrainProgress } from './TrainProgress';
import { RunHistory } from './RunHistory';
import { TrainResults } from './TrainResults';
import { TrainStatus } from './TrainStatus';
import { pauseTraining, resumeTraining, startTraining, stopTraining } from './trainer';
import './train.css';

/** Train the model on screen in this tab: settings, controls, progress, curves and results. */
export function TrainPanel() {
  const run = useAppStore((s) => s.run);
  const settings = useAppStore((s) => s.trainSettings);
  const analysis = useAppStore(selectAnalysis);
  const [valid, setValid] = useState(true);
  const active = run.status === 'starting' || run.status === 'running' || run.status === 'paused';
  return (
    <section className="train-panel" aria-labelledby="train-title">
      <div className="list-header">
        <h2 id="train-title">Train {analysis.model.name}</h2>
        <p className="muted">
          In this tab, on the GPU where the browser allows (WebGPU), in a worker so the page stays responsive. The model
          is built from the same layers you see.
        </p>
      </div>
      <TrainForm disabled={active} onValidity={setValid} />
      <div className="button-row train-controls">
        {!active && (
          <button
            type="button"
            className="primary"
            disabled={!valid || !analysis.ok}
            onClick={() => startTraining(settings)}
          >
            Start training
          </button>
        )}
        {run.status === 'running' && (
          <button type="button" onClick={pauseTraining}>
            Pause
          </button>
        )}
        {run.status === 'paused' && (
          <button type="button" onClick={resumeTraining}>
            Resume
          </button>
        )}
        {active && (
          <button type="button" onClick={stopTraining}>
            Stop
          </button>
        )}
        {!analysis.ok && <span className="field-error">Fix the model's errors first.</span>}
      </div>
      <TrainStatus run={run} />
      {(run.steps.length > 0 || run.epochs.length > 0) && <TrainProgress run={run} />}
      {run.result && <TrainResults run={run} />}
      <RunHistory disabled={active} />
    </section>
  );
}
