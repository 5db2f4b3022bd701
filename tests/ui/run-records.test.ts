import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECORDS, readRecords, recordOf, runOf, RUNS_KEY, writeRecords } from '../../src/state/run-records';
import { makeAppStore } from '../../src/state/store';
import { DEFAULT_SETTINGS, foldRun, IDLE_RUN, type TrainingRun } from '../../src/state/train-slice';
import type { FromWorker } from '../../src/train/protocol';

/** localStorage as the browser has it, for Node. */
class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, String(v));
  removeItem = (k: string) => void this.items.delete(k);
}

/** A whole run as the worker reports it, folded into the store's run. */
function finishedRun(): TrainingRun {
  const messages: FromWorker[] = [
    { type: 'backend', name: 'wasm', tried: [{ name: 'wasm', ok: true }] },
    { type: 'model', params: 510, mismatches: [], memory: 1e6, classes: ['a', 'b'], dataset: 'Synthetic stripes' },
    ...Array.from({ length: 900 }, (_, i): FromWorker => ({
      type: 'step',
      epoch: 1 + Math.floor(i / 300),
      step: (i % 300) + 1,
      stepsPerEpoch: 300,
      loss: 2 - i / 900,
      accuracy: i / 900,
      learningRate: 0.1,
      imagesPerSecond: 100,
      seconds: i,
      tensors: 20,
      bytes: 1000,
    })),
    ...[1, 2, 3].map((epoch): FromWorker => ({
      type: 'epoch',
      epoch,
      trainLoss: 2 - epoch / 3,
      trainAccuracy: epoch / 4,
      testLoss: 2.1 - epoch / 3,
      testAccuracy: epoch / 5,
      seconds: 10,
      imagesPerSecond: 100,
      tensors: 20,
    })),
    {
      type: 'done',
      stopped: false,
      testAccuracy: 0.6,
      confusion: [
        [6, 4],
        [4, 6],
      ],
      seconds: 30,
      imagesPerSecond: 100,
      backend: 'wasm',
      samples: null,
      filters: null,
    },
  ];
  const started: TrainingRun = {
    ...IDLE_RUN,
    status: 'starting',
    settings: { ...DEFAULT_SETTINGS, maxTrainSamples: 256 },
    modelName: 'Tiny',
  };
  return messages.reduce(foldRun, started);
}

describe('runs kept in the browser', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('keep the settings, curves, epochs and accuracy of a run, and show them again after a reload', () => {
    const run = finishedRun();
    expect(run.status).toBe('done');
    const record = recordOf(run, new Date('2026-11-26T12:00:00Z'));
    if (!record) throw new Error('a finished run has a record');
    expect(record.steps.length).toBeLessThanOrEqual(400);
    expect(record.steps.at(-1)).toEqual(run.steps.at(-1));
    expect(record.dataset).toBe('Synthetic stripes, the first 256 for training');
    writeRecords([record]);
    const [back] = readRecords();
    expect(back).toEqual(record);
    const shown = runOf(back!, IDLE_RUN);
    expect(shown).toMatchObject({ status: 'done', restored: true, epochs: run.epochs, modelName: 'Tiny' });
    expect(shown.result).toMatchObject({ testAccuracy: 0.6, backend: 'wasm', confusion: run.result?.confusion });
  });

  it('keep the latest twenty', () => {
    const record = recordOf(finishedRun())!;
    writeRecords(Array.from({ length: 30 }, (_, i) => ({ ...record, id: `r${i}` })));
    expect(readRecords().map((r) => r.id)).toEqual(Array.from({ length: MAX_RECORDS }, (_, i) => `r${i}`));
  });

  it('read damaged or foreign storage as no runs, or as the runs that are whole, never throwing', () => {
    const record = recordOf(finishedRun())!;
    for (const text of ['{', '"text"', '{"a":1}', '[1, 2]', 'null']) {
      localStorage.setItem('convscope:runs', text);
      expect(readRecords()).toEqual([]);
    }
    localStorage.setItem('convscope:runs', JSON.stringify([record, { ...record, testAccuracy: 'high' }, { id: 3 }]));
    expect(readRecords()).toEqual([record]);
    delete (globalThis as { localStorage?: unknown }).localStorage;
    expect(readRecords()).toEqual([]);
    expect(() => writeRecords([record])).not.toThrow();
  });

  it('are not made of runs that have not finished', () => {
    expect(recordOf({ ...finishedRun(), result: null })).toBeNull();
  });

  it('two tabs keep each other’s runs: a tab adds its run to what storage holds now, not to its own old copy', () => {
    const a = makeAppStore();
    const b = makeAppStore();
    const finish = (store: typeof a, name: string) => {
      const run = { ...finishedRun(), modelName: name, status: 'running' as const, result: null };
      store.setState({ run });
      store.getState().runMessage({ ...finishedRun().result!, type: 'done' });
    };
    finish(a, 'from A');
    finish(b, 'from B');
    finish(a, 'again from A');
    expect(readRecords().map((r) => r.modelName)).toEqual(['again from A', 'from B', 'from A']);
    expect(a.getState().records.map((r) => r.modelName)).toEqual(['again from A', 'from B', 'from A']);
    b.getState().forgetRecord(b.getState().records.find((r) => r.modelName === 'from A')!.id);
    expect(readRecords().map((r) => r.modelName)).toEqual(['again from A', 'from B']);
    expect(localStorage.getItem(RUNS_KEY)).toContain('again from A');
  });

  it('a run that storage cannot keep is said, not dropped silently', () => {
    const store = makeAppStore();
    localStorage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    store.setState({ run: { ...finishedRun(), status: 'running', result: null } });
    store.getState().runMessage({ ...finishedRun().result!, type: 'done' });
    expect(store.getState().records).toHaveLength(1);
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'This run is not kept after a reload: this browser’s storage is full or switched off.',
    ]);
  });
});
