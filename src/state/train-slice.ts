import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, type TrainConfig } from '../train/loop/config';
import type { EpochReport, StepReport } from '../train/loop/train';
import type { BackendAttempt, BackendName, FeatureMap, FromWorker } from '../train/protocol';
import type { DatasetId, Mismatch } from '../train/types';
import type { Analysis } from '../engine/analysis/result';
import { fittingDataset } from '../engine/analysis/data-fit';
import { suggestedRecipe } from '../train/run-checks';
import { addRecord, readRecords, recordOf, removeRecord, runOf, type RunRecord } from './run-records';
import type { AppState } from './store';

export type TrainStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

/** The Train panel's form: the recipe, the data set and the backend (undefined: the best that works). */
export interface TrainSettings extends TrainConfig {
  /** 'suggested': the optimizer fields follow the model (suggestedRecipe); 'custom': as typed. */
  readonly recipe: 'suggested' | 'custom';
  /** The data set a run uses; it follows the model (`fittingDataset`) until the user picks one. */
  readonly dataset: DatasetId;
  /** True once the user (or a host page) chose `dataset` themselves. */
  readonly datasetPicked?: boolean;
  readonly url?: string | undefined;
  readonly backend?: BackendName | undefined;
}

/** A point of the live curves: x in epochs (fractional during an epoch). */
export interface CurvePoint {
  readonly x: number;
  readonly loss: number;
  readonly accuracy: number;
}

export type DoneMessage = Extract<FromWorker, { type: 'done' }>;

export interface TrainingRun {
  readonly status: TrainStatus;
  /** What the run is doing (with the bytes of a data set being read), until it trains. */
  readonly phase: Omit<Extract<FromWorker, { type: 'phase' }>, 'type'> | null;
  readonly backend: { readonly name: BackendName; readonly tried: readonly BackendAttempt[] } | null;
  readonly model: {
    readonly params: number;
    readonly mismatches: readonly Mismatch[];
    readonly memory: number | null;
    readonly classes: readonly string[];
    readonly dataset: string;
  } | null;
  /** Step reports, thinned to at most MAX_POINTS by dropping every other old point. */
  readonly steps: readonly CurvePoint[];
  readonly last: StepReport | null;
  readonly firstStepSeconds: number | null;
  readonly epochs: readonly EpochReport[];
  readonly result: DoneMessage | null;
  readonly features: {
    readonly image: number;
    readonly maps: readonly FeatureMap[];
    readonly pixels: Uint8Array;
  } | null;
  readonly error: string | null;
  readonly settings: TrainSettings | null;
  readonly modelName: string | null;
  readonly startedAt: number | null;
  /** The id of this run's record in the browser, once it finished. */
  readonly record?: string;
  /** A kept run reopened from the records: its curves and numbers, no weights or pictures. */
  readonly restored?: boolean;
  /** What the last save, load or download did. */
  readonly notice?: string;
}

const MAX_POINTS = 1200;

export const IDLE_RUN: TrainingRun = {
  status: 'idle',
  phase: null,
  backend: null,
  model: null,
  steps: [],
  last: null,
  firstStepSeconds: null,
  epochs: [],
  result: null,
  features: null,
  error: null,
  settings: null,
  modelName: null,
  startedAt: null,
};

export interface TrainSlice {
  readonly trainSettings: TrainSettings;
  readonly run: TrainingRun;
  /** Finished runs kept in this browser, newest first. */
  readonly records: readonly RunRecord[];
  /** Shows a kept run again. */
  showRecord(id: string): void;
  forgetRecord(id: string): void;
  setTrainSettings(settings: Partial<TrainSettings>): void;
  /** A run was asked for with these settings (the worker's messages follow). */
  runStarted(settings: TrainSettings, modelName: string): void;
  /** Folds one worker message into the run. */
  runMessage(message: FromWorker): void;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  ...DEFAULT_CONFIG,
  recipe: 'suggested',
  dataset: 'synthetic',
  epochs: 3,
};

/**
 * The settings a run of this model uses: a suggested recipe follows the model, and so does the
 * data set until the user picks one (MNIST for a 28×28×1 input, CIFAR-10 for 32×32×3).
 */
export function settingsFor(settings: TrainSettings, analysis: Analysis): TrainSettings {
  const data = settings.datasetPicked ? settings : { ...settings, dataset: fittingDataset(analysis.model) };
  return data.recipe === 'custom' ? data : { ...data, ...suggestedRecipe(analysis).recipe };
}

/** The run after one message from the worker (pure: tests call it directly). */
export function foldRun(run: TrainingRun, message: FromWorker): TrainingRun {
  switch (message.type) {
    case 'phase': {
      const { type: _, ...phase } = message;
      return {
        ...run,
        status: run.status === 'starting' || run.status === 'idle' ? 'starting' : run.status,
        phase,
      };
    }
    case 'backend':
      return { ...run, backend: { name: message.name, tried: message.tried } };
    case 'model': {
      const { type: _, ...model } = message;
      return { ...run, model };
    }
    case 'step': {
      const x = message.epoch - 1 + message.step / message.stepsPerEpoch;
      const point = { x, loss: message.loss, accuracy: message.accuracy };
      const steps =
        run.steps.length >= MAX_POINTS ? [...run.steps.filter((_, i) => i % 2 === 0), point] : [...run.steps, point];
      const { type: _, firstStepSeconds, ...report } = message;
      return {
        ...run,
        status: run.status === 'paused' ? 'paused' : 'running',
        steps,
        last: report,
        firstStepSeconds: run.firstStepSeconds ?? firstStepSeconds ?? null,
      };
    }
    case 'epoch': {
      const { type: _, ...report } = message;
      return { ...run, epochs: [...run.epochs, report] };
    }
    case 'paused':
      return run.status === 'running' || run.status === 'paused' || run.status === 'starting'
        ? { ...run, status: message.paused ? 'paused' : 'running' }
        : run;
    case 'done':
      return { ...run, status: message.stopped ? 'stopped' : 'done', result: message, phase: null };
    case 'features':
      return { ...run, features: { image: message.image, maps: message.maps, pixels: message.pixels } };
    case 'error':
      return run.status === 'done' || run.status === 'stopped'
        ? { ...run, error: message.message }
        : { ...run, status: 'error', error: message.message, phase: null };
    case 'saved':
      return {
        ...run,
        notice: message.loaded
          ? `Loaded the weights saved in this browser as “${message.key}”: feature maps now show them.`
          : `Saved the weights in this browser as “${message.key}”.`,
      };
    case 'exported':
      return { ...run, notice: `Downloaded ${message.files.map((f) => f.name).join(' and ')}.` };
    case 'stopped':
      // Ended before it trained: not active, so the next run is accepted; nothing to keep.
      return { ...run, status: 'stopped', phase: null, notice: message.detail };
  }
}

export const createTrainSlice: StateCreator<AppState, [], [], TrainSlice> = (set, get) => ({
  trainSettings: DEFAULT_SETTINGS,
  run: IDLE_RUN,
  setTrainSettings: (settings) => set((s) => ({ trainSettings: { ...s.trainSettings, ...settings } })),
  runStarted: (settings, modelName) =>
    set({ run: { ...IDLE_RUN, status: 'starting', settings, modelName, startedAt: Date.now() } }),
  runMessage: (message) => {
    let unkept = false;
    set((s) => {
      const run = foldRun(s.run, message);
      if (message.type !== 'done' || s.embedded) return { run };
      // A finished run is kept, so that it survives a reload (with the runs other tabs kept).
      const kept = recordOf(run);
      if (!kept) return { run };
      const { records, written } = addRecord(kept, s.records);
      unkept = !written;
      return { run: { ...run, record: kept.id }, records };
    });
    if (unkept)
      get().notify('error', 'This run is not kept after a reload: this browser’s storage is full or switched off.', {
        topic: 'runs',
      });
  },
  records: readRecords(),
  showRecord: (id) =>
    set((s) => {
      const r = s.records.find((x) => x.id === id);
      return r ? { run: runOf(r, IDLE_RUN) } : {};
    }),
  forgetRecord: (id) =>
    set((s) => ({ records: removeRecord(id, s.records), run: s.run.record === id ? IDLE_RUN : s.run })),
});
