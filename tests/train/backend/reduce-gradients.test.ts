import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectWasmMatchesCpu, randomValues } from './compare';

/** Our gradients of Mean and Sum on 'wasm' (dy divided, then broadcast) against tfjs' own on 'cpu': exact. */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

describe('gradients of Mean and Sum on wasm = cpu', () => {
  it('matches for random shapes, axes and keepDims', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.integer(),
        async (shape, picks, keepDims, seed) => {
          const axes = [...new Set(picks.map((p) => p % shape.length))];
          const size = shape.reduce((p, s) => p * s, 1);
          const x = () => tf.tensor(randomValues(size, seed), shape);
          const weight = () => tf.tensor(randomValues(size, seed + 1), shape);
          // dy of each reduction is a fixed random tensor of its output's shape (the loss is linear
          // in it), so the gradients are exact on both backends whatever order the sums run in.
          const reduced = shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
          const count = reduced.reduce((p, d) => p * d, 1);
          const dy = (k: number) => tf.tensor(randomValues(count, seed + k), reduced);
          const f = () =>
            tf.grad((t: tf.Tensor) =>
              tf
                .sum(tf.mul(tf.mean(tf.mul(t, weight()), axes, keepDims), dy(2)))
                .add(tf.sum(tf.mul(tf.sum(tf.mul(t, weight()), axes, keepDims), dy(3)))),
            )(x());
          await expectWasmMatchesCpu(f, JSON.stringify({ shape, axes, keepDims }), 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
