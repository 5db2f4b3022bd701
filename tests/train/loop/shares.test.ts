import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../../../src/train/data/synthetic';
import { batcher } from '../../../src/train/load-data';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/train/loop/config';
import { Optimizer } from '../../../src/train/loop/optimizer';
import { parallelGradients, shareCount, shareGradients, splitBatch, type Batch } from '../../../src/train/loop/shares';
import { train } from '../../../src/train/loop/train';
import { LocalHelpers } from './local-helpers';

/**
 * Data-parallel steps (a batch split into shares, one per worker, the gradients averaged) train
 * the model a single worker would: the same weights after several steps for a model without batch
 * norm; with batch norm, each share's own statistics and the moving averages averaged.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE = [12, 12, 3] as const;
const data = synthetic({ shape: SHAPE, classes: 4, trainCount: 256, testCount: 32, seed: 3 });

/** A small CNN, the same weights for the same seed; batch norm after its convolution when asked. */
function model(batchNorm: boolean, seed = 5): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const layers: tf.layers.Layer[] = [
    tf.layers.conv2d({ inputShape: [...SHAPE], filters: 6, kernelSize: 3, kernelInitializer: init(1) }),
    ...(batchNorm ? [tf.layers.batchNormalization({ momentum: 0.9 })] : []),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 4, kernelInitializer: init(2) }),
  ];
  return tf.sequential({ layers });
}

const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 1, batchSize: 64, maxTrainSamples: 192, augment: false };
const hooks = { onStep: () => {}, onEpoch: () => {}, proceed: async () => 'go' as const };

const values = (m: tf.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number[];
    const worst = Math.max(...a.map((v, k) => Math.abs(v - (e[k] as number))));
    expect(worst, `weight ${i}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('shares', () => {
  it('split a batch only into shares of at least 32 images, and no more than the workers', () => {
    expect(shareCount(64, 1)).toBe(2);
    expect(shareCount(63, 1)).toBe(1);
    expect(shareCount(64, 0)).toBe(1);
    expect(shareCount(128, 3)).toBe(4);
    expect(shareCount(128, 7)).toBe(4);
    expect(shareCount(16, 3)).toBe(1);
    const batch: Batch = {
      x: Float32Array.from({ length: 65 * 2 }, (_, i) => i),
      y: Int32Array.from({ length: 65 }, (_, i) => i),
    };
    const shares = splitBatch(batch, 2);
    expect(shares.map((s) => s.y.length)).toEqual([33, 32]);
    expect(shares.map((s) => s.x.length)).toEqual([66, 64]);
    expect([...shares.flatMap((s) => [...s.y])]).toEqual([...batch.y]);
    expect([...shares.flatMap((s) => [...s.x])]).toEqual([...batch.x]);
  });

  it('train a model without batch norm to the same weights as one worker does (3 steps, SGD Nesterov)', async () => {
    const single = model(false);
    const parallel = model(false);
    const helper = model(false, 99); // its own initial weights: each step sends the real ones
    expectClose(values(parallel), values(single), 0);
    const probabilities = false;
    await train(single, data, config, batcher(data, 1), hooks, probabilities);
    const helpers = new LocalHelpers([helper], [...SHAPE], config, probabilities);
    let calls = 0;
    const counted = { count: 1, compute: (w: Float32Array, s: readonly Batch[]) => (calls++, helpers.compute(w, s)) };
    const result = await train(parallel, data, config, batcher(data, 1), hooks, probabilities, counted);
    expect(calls).toBe(3);
    expect(result.epochs[0]?.trainLoss).toBeGreaterThan(0);
    expectClose(values(parallel), values(single), 1e-5);
    // And the run moved the weights at all (so the comparison says something).
    const start = model(false);
    expect(Math.max(...values(parallel)[0]!.map((v, k) => Math.abs(v - values(start)[0]![k]!)))).toBeGreaterThan(1e-3);
    [single, parallel, helper, start].forEach((m) => m.dispose());
  });

  it('with batch norm: the average of each share normalised on its own, and the moving statistics averaged', async () => {
    const main = model(true);
    const helper = model(true, 42);
    const reference = model(true);
    const batch = batcher(data, 1)(
      data.train,
      Array.from({ length: 64 }, (_, i) => i),
      false,
    );
    const shares = splitBatch(batch, 2);
    const variables = main.trainableWeights.map((w) => w.read() as tf.Variable);
    const helpers = new LocalHelpers([helper], [...SHAPE], config, false);
    const { grads, loss, hits } = await parallelGradients(main, variables, shares, [...SHAPE], config, false, helpers);

    // The reference: each share on its own from the same starting weights, then averaged.
    const start = reference.getWeights().map((w) => w.clone());
    const refVariables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
    const perShare = shares.map((share) => {
      reference.setWeights(start);
      const r = shareGradients(reference, refVariables, share, [...SHAPE], config, false);
      return {
        grads: refVariables.map((v) => Array.from((r.grads[v.name] as tf.Tensor).dataSync())),
        moving: reference.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())),
        loss: r.loss.dataSync()[0] as number,
        hits: r.hits.dataSync()[0] as number,
        dispose: () => tf.dispose([r.loss, r.hits, r.grads]),
      };
    });
    const mean = (a: number[][], b: number[][]) =>
      a.map((row, i) => row.map((v, k) => (v + (b[i]?.[k] as number)) / 2));
    const [a, b] = perShare as [(typeof perShare)[0], (typeof perShare)[0]];
    expectClose(
      variables.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync())),
      mean(a.grads, b.grads),
      1e-6,
    );
    expectClose(
      main.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())),
      mean(a.moving, b.moving),
      1e-6,
    );
    expect(loss).toBeCloseTo((a.loss + b.loss) / 2, 6);
    expect(hits).toBe(a.hits + b.hits);
    // Not the whole batch's statistics: the shares' gradients differ from one pass over 64 images.
    reference.setWeights(start);
    const whole = shareGradients(reference, refVariables, batch, [...SHAPE], config, false);
    const ours = (grads[(variables[0] as tf.Variable).name] as tf.Tensor).dataSync();
    const theirs = (whole.grads[(refVariables[0] as tf.Variable).name] as tf.Tensor).dataSync();
    const gap = Math.max(...Array.from(theirs).map((v, k) => Math.abs(v - (ours[k] as number))));
    expect(gap).toBeGreaterThan(1e-6);
    tf.dispose([whole.loss, whole.hits, whole.grads, grads, start]);
    [main, helper, reference].forEach((m) => m.dispose());
    perShare.forEach((s) => s.dispose());
  });

  it('leave no tensor behind, and fail the step when a helper fails', async () => {
    const main = model(true);
    const helper = model(true, 7);
    const optimizer = new Optimizer({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
    const variables = main.trainableWeights.map((w) => w.read() as tf.Variable);
    const helpers = new LocalHelpers([helper], [...SHAPE], config, false);
    const shares = splitBatch(
      batcher(data, 1)(
        data.train,
        Array.from({ length: 64 }, (_, i) => i),
        false,
      ),
      2,
    );
    const step = async () => {
      const { grads } = await parallelGradients(main, variables, shares, [...SHAPE], config, false, helpers);
      optimizer.apply(grads, variables, 0.1);
      tf.dispose(grads);
    };
    await step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await step();
    expect(tf.memory().numTensors).toBe(before);
    const failing = { count: 1, compute: async () => Promise.reject(new Error('helper 1 stopped')) };
    await expect(parallelGradients(main, variables, shares, [...SHAPE], config, false, failing)).rejects.toThrow(
      'helper 1 stopped',
    );
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    [main, helper].forEach((m) => m.dispose());
  });
});
