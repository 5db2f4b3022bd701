import { memo, useId, useState } from 'react';
import { selectAnalysis, useAppStore } from '../../state/store';
import { settingsFor, type TrainSettings } from '../../state/train-slice';
import { AUGMENTATION } from '../../train/load-data';
import { suggestedRecipe } from '../../train/run-checks';
import { SCHEDULES } from '../../train/loop/schedule';
import { BACKEND_LABELS, BACKENDS } from '../../train/protocol';
import type { DatasetId } from '../../train/types';
import { NumberField } from './NumberField';
import { formatAddress } from '../../train/data/errors';
import { archiveAddress, setCifarFile } from './trainer';
import { TrainPlan } from './TrainPlan';
import { BatchSuggestion } from './BatchSuggestion';

const DATASETS: { id: DatasetId; label: string }[] = [
  { id: 'synthetic', label: 'Synthetic shapes (instant, any input size)' },
  { id: 'mnist', label: 'MNIST digits (28×28×1; 10,000, loaded when chosen)' },
  { id: 'cifar10', label: 'CIFAR-10 (32×32×3; the official binary archive)' },
];

const SCHEDULE_LABELS = {
  onecycle: 'one-cycle',
  cosine: 'cosine',
  step: 'step (÷10 at 50% and 75%)',
  constant: 'constant',
};

interface TrainFormProps {
  readonly disabled: boolean;
  readonly onValidity: (valid: boolean) => void;
  /** The CIFAR-10 archive file chosen (its name), if any; the panel's Start waits for one. */
  readonly archive: string | null;
  readonly onArchive: (name: string | null) => void;
}

/** The run's settings: data set (and CIFAR-10's archive), recipe, backend. */
function TrainFormView({ disabled, onValidity, archive, onArchive }: TrainFormProps) {
  const asked = useAppStore((s) => s.trainSettings);
  const analysis = useAppStore(selectAnalysis);
  const settings = settingsFor(asked, analysis);
  const setSettings = useAppStore((s) => s.setTrainSettings);
  const set = (change: Partial<TrainSettings>) => setSettings(change);
  // Editing the recipe makes it the user's own, starting from what was shown.
  const setRecipe = (change: Partial<TrainSettings>) => setSettings({ ...settings, ...change, recipe: 'custom' });
  const id = useId();
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const address = settings.url ? archiveAddress(settings.url) : null;
  const validity = (field: string) => (valid: boolean) => {
    const next = new Set(invalid);
    if (valid) next.delete(field);
    else next.add(field);
    setInvalid(next);
    onValidity(next.size === 0);
  };
  const number = (
    field: keyof TrainSettings,
    label: string,
    min: number,
    max: number,
    integer = false,
    hint?: string,
    change: (c: Partial<TrainSettings>) => void = setRecipe,
    optional = false,
  ) => (
    <NumberField
      label={label}
      value={settings[field] as number | undefined}
      {...(optional ? { optional, placeholder: 'all' } : {})}
      min={min}
      max={max}
      integer={integer}
      disabled={disabled}
      onChange={(v) => change({ [field]: v })}
      onValidity={validity(field)}
      {...(hint ? { hint } : {})}
    />
  );
  return (
    <fieldset className="train-form" disabled={disabled}>
      <legend className="visually-hidden">Training settings</legend>
      <div className="train-field wide">
        <label htmlFor={`${id}-data`}>Data set</label>
        <select
          id={`${id}-data`}
          value={settings.dataset}
          onChange={(e) => set({ dataset: e.target.value as DatasetId, datasetPicked: true })}
        >
          {DATASETS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      {settings.dataset === 'cifar10' && (
        <div className="train-field wide cifar-source">
          <label htmlFor={`${id}-file`}>CIFAR-10 archive (cifar-10-binary.tar.gz, 162 MB)</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".gz,.tgz,application/gzip"
            onChange={(e) => {
              const file = e.target.files?.[0] ?? null;
              setCifarFile(file);
              onArchive(file?.name ?? null);
              if (file) set({ url: undefined });
            }}
          />
          <label htmlFor={`${id}-url`}>or its address</label>
          <input
            id={`${id}-url`}
            type="text"
            inputMode="url"
            spellCheck={false}
            autoComplete="off"
            placeholder="https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
            value={settings.url ?? ''}
            aria-invalid={address?.ok === false}
            aria-describedby={`${id}-url-doc`}
            onChange={(e) => set({ url: e.target.value || undefined })}
          />
          <p className="field-doc" id={`${id}-url-doc`}>
            {address ? (
              address.ok ? (
                `Downloads from ${formatAddress(address.url)}.`
              ) : (
                <span className="field-error">{address.error}</span>
              )
            ) : archive ? (
              `Using ${archive}.`
            ) : (
              'Choose the file, or give an address the browser may fetch from, absolute or relative to this page (npm run fetch:cifar10 puts a copy at data/cifar-10-binary.tar.gz in a local install).'
            )}
          </p>
        </div>
      )}
      {number('epochs', 'Epochs', 1, 200, true, undefined, set)}
      {number('batchSize', 'Batch size', 1, 1024, true, undefined, set)}
      {number('maxTrainSamples', 'Training images', 1, 1_000_000, true, 'Blank: all of them.', set, true)}
      {number('maxTestSamples', 'Test images', 1, 1_000_000, true, 'Blank: all of them.', set, true)}
      <BatchSuggestion settings={settings} analysis={analysis} disabled={disabled} />
      <TrainPlan settings={settings} analysis={analysis} disabled={disabled} />
      <div className="train-field wide recipe-note" aria-live="polite">
        {asked.recipe === 'custom' ? (
          <>
            <span>Your own recipe.</span>{' '}
            <button type="button" className="link" onClick={() => set({ recipe: 'suggested' })}>
              Use the one suggested for this model
            </button>
          </>
        ) : (
          <span>Recipe suggested for this model. {suggestedRecipe(analysis).why}</span>
        )}
      </div>
      <div className="train-field">
        <label htmlFor={`${id}-opt`}>Optimizer</label>
        <select
          id={`${id}-opt`}
          value={settings.optimizer}
          onChange={(e) => setRecipe({ optimizer: e.target.value as TrainSettings['optimizer'] })}
        >
          <option value="sgd">SGD (momentum)</option>
          <option value="adam">Adam</option>
        </select>
      </div>
      {number('learningRate', 'Learning rate (peak)', 1e-6, 10)}
      <div className="train-field">
        <label htmlFor={`${id}-schedule`}>Schedule</label>
        <select
          id={`${id}-schedule`}
          value={settings.schedule}
          onChange={(e) => setRecipe({ schedule: e.target.value as TrainSettings['schedule'] })}
        >
          {SCHEDULES.map((s) => (
            <option key={s} value={s}>
              {SCHEDULE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {settings.optimizer === 'sgd' && number('momentum', 'Momentum', 0, 0.999)}
      {number('weightDecay', 'Weight decay', 0, 0.1)}
      {number('labelSmoothing', 'Label smoothing', 0, 0.5)}
      <div className="train-field checks">
        {settings.optimizer === 'sgd' && (
          <label>
            <input
              type="checkbox"
              checked={settings.nesterov}
              onChange={(e) => setRecipe({ nesterov: e.target.checked })}
            />{' '}
            Nesterov
          </label>
        )}
        <label>
          <input
            type="checkbox"
            checked={settings.augment}
            onChange={(e) => set({ augment: e.target.checked })}
            aria-describedby={`${id}-augment`}
          />{' '}
          Augment
        </label>
        <span id={`${id}-augment`} className="field-doc">
          {AUGMENTATION[settings.dataset]}
        </span>
      </div>
      <div className="train-field">
        <label htmlFor={`${id}-backend`}>Backend</label>
        <select
          id={`${id}-backend`}
          value={settings.backend ?? ''}
          onChange={(e) => set({ backend: (e.target.value || undefined) as TrainSettings['backend'] })}
        >
          <option value="">Best available (WebGPU, WebGL, WASM, CPU)</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {BACKEND_LABELS[b]}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

/** Re-rendered only when its props or its own store values change, not at every training step. */
export const TrainForm = memo(TrainFormView);
