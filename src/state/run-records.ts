import { z } from 'zod';
import type { TrainingRun } from './train-slice';

/**
 * A finished run, kept in the browser (localStorage) so it survives a reload: what was trained
 * with which settings, its curves and its accuracy. Pictures and weights are not kept here
 * (weights go to IndexedDB when the user saves them).
 */
const finite = z.number().finite();
const record = z.object({
  id: z.string().max(64),
  date: z.string().max(40),
  modelName: z.string().max(200),
  dataset: z.string().max(200),
  backend: z.string().max(20),
  settings: z.record(z.string(), z.union([z.string().max(2000), finite, z.boolean(), z.null()])),
  params: finite.nullable(),
  classes: z.array(z.string().max(100)).max(1000),
  steps: z.array(z.object({ x: finite, loss: finite, accuracy: finite })).max(2000),
  epochs: z
    .array(
      z.object({
        epoch: finite,
        trainLoss: finite,
        trainAccuracy: finite,
        testLoss: finite,
        testAccuracy: finite,
        seconds: finite,
        imagesPerSecond: finite,
        tensors: finite,
      }),
    )
    .max(1000),
  stopped: z.boolean(),
  testAccuracy: finite.nullable(),
  confusion: z.array(z.array(finite).max(1000)).max(1000).nullable(),
  seconds: finite,
  imagesPerSecond: finite,
});

export type RunRecord = z.infer<typeof record>;

export const RUNS_KEY = 'convscope:runs';
/** The most recent runs kept; older ones are dropped. */
export const MAX_RECORDS = 20;
/** Curve points kept per run (every other one dropped until it fits). */
const MAX_POINTS = 400;

function thin<T>(points: readonly T[]): T[] {
  let kept = [...points];
  while (kept.length > MAX_POINTS) kept = kept.filter((_, i) => i % 2 === 0 || i === kept.length - 1);
  return kept;
}

/** The record of a finished run (null while it is not finished). */
export function recordOf(run: TrainingRun, date = new Date()): RunRecord | null {
  const result = run.result;
  if (!result || !run.settings) return null;
  const settings = Object.fromEntries(
    Object.entries(run.settings).filter(([, v]) => v !== undefined && typeof v !== 'object'),
  ) as RunRecord['settings'];
  return {
    id: `${date.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    date: date.toISOString(),
    modelName: run.modelName ?? 'model',
    dataset:
      (run.model?.dataset ?? String(run.settings.dataset)) +
      (run.settings.maxTrainSamples
        ? `, the first ${run.settings.maxTrainSamples.toLocaleString('en')} for training`
        : ''),
    backend: result.backend,
    settings,
    params: run.model?.params ?? null,
    classes: [...(run.model?.classes ?? [])],
    steps: thin(run.steps),
    epochs: [...run.epochs],
    stopped: result.stopped,
    testAccuracy: result.testAccuracy,
    confusion: result.confusion ? result.confusion.map((row) => [...row]) : null,
    seconds: result.seconds,
    imagesPerSecond: result.imagesPerSecond,
  };
}

/** The kept runs, newest first; anything unreadable in storage is left out, never thrown. */
export function readRecords(): RunRecord[] {
  return storedRecords() ?? [];
}

/** The kept runs, or null when this browser's storage cannot be read (switched off). */
function storedRecords(): RunRecord[] | null {
  let text: string | null | undefined;
  try {
    text = globalThis.localStorage?.getItem(RUNS_KEY);
  } catch {
    return null;
  }
  if (text === undefined) return null;
  if (!text) return [];
  try {
    const parsed = z.array(z.unknown()).safeParse(JSON.parse(text));
    if (!parsed.success) return [];
    return parsed.data.flatMap((r) => {
      const one = record.safeParse(r);
      return one.success ? [one.data] : [];
    });
  } catch {
    return [];
  }
}

/** Writes the kept runs; false when storage refused (full or switched off). */
export function writeRecords(records: readonly RunRecord[]): boolean {
  try {
    globalThis.localStorage?.setItem(RUNS_KEY, JSON.stringify(records.slice(0, MAX_RECORDS)));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps a finished run. Storage is read again first, so runs that another tab kept since this one
 * loaded stay (each tab holds its own copy of the list). Returns the list now kept, newest first,
 * and whether it was written. `mine` (this tab's list) stands in when storage cannot be read.
 */
export function addRecord(kept: RunRecord, mine: readonly RunRecord[]): { records: RunRecord[]; written: boolean } {
  const records = [kept, ...(storedRecords() ?? mine).filter((r) => r.id !== kept.id)]
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .slice(0, MAX_RECORDS);
  return { records, written: writeRecords(records) };
}

/** Forgets a kept run, keeping the runs other tabs kept meanwhile. */
export function removeRecord(id: string, mine: readonly RunRecord[]): RunRecord[] {
  const records = (storedRecords() ?? mine).filter((r) => r.id !== id);
  writeRecords(records);
  return records;
}

/** A kept run, shown again as a finished run (curves, epochs, accuracy, confusion matrix). */
export function runOf(r: RunRecord, idle: TrainingRun): TrainingRun {
  return {
    ...idle,
    status: r.stopped ? 'stopped' : 'done',
    model: { params: r.params ?? 0, mismatches: [], memory: null, classes: r.classes, dataset: r.dataset },
    steps: r.steps,
    epochs: r.epochs,
    result: {
      type: 'done',
      stopped: r.stopped,
      testAccuracy: r.testAccuracy,
      confusion: r.confusion,
      seconds: r.seconds,
      imagesPerSecond: r.imagesPerSecond,
      backend: r.backend as NonNullable<TrainingRun['result']>['backend'],
      samples: null,
      filters: null,
    },
    settings: r.settings as unknown as TrainingRun['settings'],
    modelName: r.modelName,
    record: r.id,
    restored: true,
  };
}
