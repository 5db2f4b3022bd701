import { memo, useState } from 'react';
import { selectAnalysis, useAppStore } from '../../state/store';
import { TrainForm } from './TrainForm';
import { TrainProgress } from './TrainProgress';
import { RunHistory } from './RunHistory';
import { TrainResults } from './TrainResults';
import { TrainStatus } from './TrainStatus';
import { cifarFileName, pauseTraining, resumeTraining, startTraining, stopTraining } from './trainer';
import { settingsFor, type TrainSettings } from '../../state/train-slice';
import './train.css';

// The form and the run history read the store themselves: a progress report (up to five a
// second while training) re-renders neither.
const Form = memo(TrainForm);
const History = memo(RunHistory);

/** Why a run of these settings can't start yet (CIFAR-10 without its archive), or null. */
function missingData(settings: TrainSettings, archive: string | null): string | null {
  if (settings.dataset !== 'cifar10' || settings.url || archive) return null;
  return 'CIFAR-10 needs its archive first: choose or drop the official cifar-10-binary.tar.gz above, or give its address.';
}

/** Train the model on screen in this tab: settings, controls, progress, curves and results. */
export function TrainPanel() {
  const run = useAppStore((s) => s.run);
  const settings = useAppStore((s) => s.trainSettings);
  const analysis = useAppStore(selectAnalysis);
  const [valid, setValid] = useState(true);
  const [archive, setArchive] = useState(cifarFileName);
  const missing = missingData(settingsFor(settings, analysis), archive);
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
      <Form disabled={active} onValidity={setValid} archive={archive} onArchive={setArchive} />
      <div className="button-row train-controls">
        {!active && (
          <button
            type="button"
            className="primary"
            disabled={!valid || !analysis.ok || missing !== null}
            aria-describedby={missing ? 'train-missing-data' : undefined}
            onClick={() => startTraining(settings)}
          >
            Start training
          </button>
        )}
        {!active && missing && (
          <span className="field-error" id="train-missing-data">
            {missing}
          </span>
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
      <History disabled={active} />
    </section>
  );
}
