import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../../../src/train/data/synthetic';
import { batcher } from '../../../src/train/load-data';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/train/loop/config';
import { train, type Batcher, type EpochReport, type StepReport, type TrainHooks } from '../../../src/train/loop/train';

/**
 * The loop queues steps without reading their results back, and reads them only when a report is
 * due (progress.ts): the epoch's loss and accuracy must be those of every step all the same, and
 * stop and pause must still act before the next step.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE = [8, 8, 3] as const;
const data = synthetic({ shape: SHAPE, classes: 4, trainCount: 160, testCount: 16, seed: 3 });
const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 2, batchSize: 32, augment: false, maxTestSamples: 16 };

function model(): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: 11 + s });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [...SHAPE], filters: 4, kernelSize: 3, kernelInitializer: init(1) }),
      tf.layers.batchNormalization({ momentum: 0.9 }),
      tf.layers.reLU(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, kernelInitializer: init(2) }),
    ],
  });
}

interface Run {
  readonly steps: StepReport[];
  readonly epochs: EpochReport[];
  readonly weights: number[][];
  readonly batches: number;
  readonly stopped: boolean;
}

/** Training batches made so far in the current run. */
let trainingBatches = 0;

async function run(reportEveryMs: number, proceed?: TrainHooks['proceed']): Promise<Run> {
  const m = model();
  const steps: StepReport[] = [];
  const epochs: EpochReport[] = [];
  const make = batcher(data, config.seed);
  trainingBatches = 0;
  const counting: Batcher = (set, indices, augment) => {
    if (set === data.train) trainingBatches++;
    return make(set, indices, augment);
  };
  const result = await train(
    m,
    data,
    config,
    counting,
    {
      onStep: (r) => steps.push(r),
      onEpoch: (r) => epochs.push(r),
      proceed: proceed ?? (async () => 'go'),
      reportEveryMs,
    },
    false,
  );
  const weights = m.weights.map((w) => Array.from(w.read().dataSync()));
  m.dispose();
  return { steps, epochs, weights, batches: trainingBatches, stopped: result.stopped };
}

describe('progress read back only when a report is due', () => {
  it('reports the first and last step of each epoch, with the totals of every step', async () => {
    const everyStep = await run(0);
    const rarely = await run(1e9);
    // 160 images in batches of 32: 5 steps an epoch.
    expect(everyStep.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(rarely.steps.map((s) => `${s.epoch}:${s.step}`)).toEqual(['1:1', '1:5', '2:1', '2:5']);
    // The epoch's loss and accuracy: the mean over its steps, as each step reported them.
    everyStep.epochs.forEach((e, k) => {
      const own = everyStep.steps.filter((s) => s.epoch === k + 1);
      expect(e.trainLoss).toBeCloseTo(own.reduce((a, s) => a + s.loss, 0) / own.length, 5);
      expect(e.trainAccuracy).toBeCloseTo(own.reduce((a, s) => a + s.accuracy, 0) / own.length, 6);
    });
    // Reading less often changes nothing that is computed.
    rarely.epochs.forEach((e, k) => {
      expect(e.trainLoss).toBeCloseTo(everyStep.epochs[k]!.trainLoss, 6);
      expect(e.trainAccuracy).toBe(everyStep.epochs[k]!.trainAccuracy);
    });
    const last = (r: Run) => r.steps.filter((s) => s.step === 5).map((s) => [s.loss, s.accuracy]);
    expect(last(rarely)).toEqual(last(everyStep));
    expect(rarely.weights).toEqual(everyStep.weights);
  }, 60_000);

  it('stops before the next step although no report read the queued ones back', async () => {
    let calls = 0;
    const stopped = await run(1e9, async () => (++calls === 4 ? 'stop' : 'go'));
    expect(stopped.stopped).toBe(true);
    expect(stopped.batches).toBe(3);
    expect(stopped.epochs).toEqual([]);
  }, 60_000);

  it('runs no step while paused', async () => {
    let resume: (() => void) | null = null;
    let calls = 0;
    const proceed = () => {
      calls++;
      if (calls !== 3) return Promise.resolve('go' as const);
      return new Promise<'go'>((resolve) => (resume = () => resolve('go')));
    };
    const running = run(1e9, proceed);
    while (!resume) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    // Two steps done, the third waiting for proceed.
    expect(trainingBatches).toBe(2);
    (resume as () => void)();
    const done = await running;
    expect(done.stopped).toBe(false);
    expect(done.batches).toBe(10);
  }, 60_000);
});
