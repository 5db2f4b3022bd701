import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../../../src/train/data/synthetic';
import { batcher } from '../../../src/train/load-data';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/train/loop/config';
import { DivergedError } from '../../../src/train/loop/diverged';
import { train, type Batcher, type StepReport } from '../../../src/train/loop/train';

/**
 * A run whose loss stops being a number stops at the first report that reads it (steps are
 * queued between reports, so this is at most one report's worth of steps later) and says what to
 * change, instead of training on NaN weights for the rest of its epochs.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE = [8, 8, 3] as const;
const data = synthetic({ shape: SHAPE, classes: 4, trainCount: 192, testCount: 16, seed: 5 });
const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 3, batchSize: 32, augment: false, maxTestSamples: 16 };

const model = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [...SHAPE], filters: 4, kernelSize: 3 }),
      tf.layers.reLU(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4 }),
    ],
  });

/** Trains, with the training batch number `bad` (from 1) holding a NaN pixel. */
async function run(bad: number, reportEveryMs: number) {
  const make = batcher(data, config.seed);
  let made = 0;
  const poisoned: Batcher = (set, indices, augment) => {
    const batch = make(set, indices, augment);
    if (set === data.train && ++made === bad) batch.x[0] = NaN;
    return batch;
  };
  const steps: StepReport[] = [];
  let proceeded = 0;
  const m = model();
  const outcome = await train(
    m,
    data,
    config,
    poisoned,
    {
      onStep: (r) => steps.push(r),
      onEpoch: () => undefined,
      proceed: async () => (proceeded++, 'go'),
      reportEveryMs,
    },
    false,
  ).then(
    () => null,
    (e: unknown) => e,
  );
  m.dispose();
  return { outcome, steps, proceeded };
}

describe('a run whose loss becomes NaN', () => {
  it('stops at the report that reads it, and says what to change', async () => {
    // Every step reported: the third step's NaN stops the run before a fourth.
    const every = await run(3, 0);
    expect(every.outcome).toBeInstanceOf(DivergedError);
    expect(every.proceeded).toBe(3);
    expect(every.steps.map((s) => s.step)).toEqual([1, 2]);
    const message = (every.outcome as Error).message;
    expect(message).toMatch(/loss became NaN \(not a number\) by step 3 of 6 in epoch 1/);
    expect(message).toMatch(/learning rate was [\d.e-]+: try one 10 times smaller, or Adam at 0\.003/);
    expect(message).not.toMatch(/at .*\.ts/);
  });

  it('is seen at the next report when the NaN step fell between two (the epoch sums carry it)', async () => {
    // Reports only at each epoch's first and last step: the NaN at step 2 is read at step 6.
    const rarely = await run(2, 1e9);
    expect(rarely.outcome).toBeInstanceOf(DivergedError);
    expect(rarely.proceeded).toBe(6);
    expect((rarely.outcome as Error).message).toMatch(/by step 6 of 6 in epoch 1/);
  });

  it('a run with finite losses is not stopped', async () => {
    const fine = await run(0, 0);
    expect(fine.outcome).toBeNull();
    expect(fine.proceeded).toBe(18);
  });
});
