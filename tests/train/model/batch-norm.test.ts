import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { batchNormalization } from '../../../src/train/model/layers/batch-norm-layer';
import { maxError } from '../backend/compare';
import { setUp, trainingCall } from './batch-norm-cases';

/**
 * Our batch-norm training pass (one op with a closed-form gradient) against tfjs-layers' own
 * layer, the independent reference: the same output, gradients for the input, γ and β, and moving
 * averages, on random shapes, on the CPU and WASM backends.
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

const shapeArb = fc.tuple(
  fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
  fc.integer({ min: 1, max: 20 }),
);

describe('batch norm in training = tfjs-layers BatchNormalization', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`output, dx, dγ, dβ and moving averages agree on ${backend}`, async () => {
      await tf.setBackend(backend);
      fc.assert(
        fc.property(shapeArb, fc.integer(), ([lead, channels], seed) => {
          const shape = [...lead, channels];
          if (shape.slice(0, -1).reduce((p, s) => p * s, 1) < 2) return; // a variance needs two values
          const args = { momentum: 0.9, epsilon: 1e-3 };
          const ours = trainingCall(batchNormalization(args), shape, seed);
          const theirs = trainingCall(tf.layers.batchNormalization(args), shape, seed);
          const names = ['y', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance'];
          theirs.forEach((expected, i) => {
            const got = ours[i] as Float32Array;
            const scale = Math.max(1, ...expected.map(Math.abs));
            // dx is a difference of nearly equal terms scaled by 1/σ (up to 1/√ε ≈ 32 here): with few
            // values per channel (two: x̂ = ±1) both float32 results round by up to about 32 × 10 × 6e-8.
            const tolerance = names[i] === 'dx' ? 4e-5 : 1e-5;
            expect(maxError(got, expected) / scale, `${names[i]} for ${JSON.stringify(shape)}`).toBeLessThan(tolerance);
          });
        }),
        { numRuns: 60 },
      );
    });
  }

  // The composite op (every backend without our kernels), and WASM's own kernels for it.
  for (const [backend, share] of [
    ['cpu', 0.6],
    ['wasm', 0.3],
  ] as const)
    it(`passes over the whole activation at most ${share * 100}% as often as the package in a training call on ${backend}, and leaks no tensor`, async () => {
      await tf.setBackend(backend);
      const shape = [8, 6, 6, 16];
      const full = shape.reduce((p, s) => p * s, 1);
      /** Kernels that read or write a whole activation; Identity, Reshape and Cast only alias it. */
      const passes = async (layer: tf.layers.Layer) => {
        const { step, dispose } = setUp(layer, shape, 1);
        step(); // the first call makes the layer's variables
        const before = tf.memory().numTensors;
        const info = await tf.profile(() => void tf.dispose(step()));
        expect(tf.memory().numTensors).toBe(before);
        dispose();
        const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
        return info.kernels.filter(
          (k) =>
            !['Identity', 'Reshape', 'Cast'].includes(k.name) &&
            [...k.inputShapes, ...k.outputShapes].some((s) => size(s) === full),
        ).length;
      };
      // Both counts include the loss's own four (y·r and its gradient): on the CPU 18 against 32
      // here, on WASM 7 (moments, the affine map, the gradient kernel).
      const ours = await passes(batchNormalization({}));
      const theirs = await passes(tf.layers.batchNormalization({}));
      expect(ours).toBeLessThanOrEqual(theirs * share);
    });
});
