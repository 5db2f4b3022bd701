import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWebGpuAdditions } from '../../../src/train/backend/webgpu/kernels';
import { batchNormalization } from '../../../src/train/model/layers/batch-norm-layer';
import {
  BATCH_NORM_APPLY,
  BATCH_NORM_GRAD,
  BATCH_NORM_STATS,
  batchNormInTraining,
} from '../../../src/train/model/ops/batch-norm';
import { trainingCallAsync } from '../model/batch-norm-cases';
import { expectMatchesCpu, maxError } from './compare';
import { tensor } from './conv-cases';
import { startWebGpu } from './webgpu-setup';

/**
 * Our batch-norm kernels on 'webgpu' (Dawn on SwiftShader in Node): statistics with the moving
 * averages, the affine map and the gradient, each one dispatch, against the CPU backend's
 * composite ops (output, dx, dγ, dβ, batch statistics and moving averages within 1e-4), and the
 * layer's moving averages against tfjs-layers' BatchNormalization.
 */
const adapter = await startWebGpu('WebGPU batch-norm checks', { register: registerWebGpuAdditions });

/** One training call of the op on `shape`: y, dx, dγ, dβ, the batch's mean and variance, the moving averages. */
function opCall(shape: number[], seed: number): () => tf.Tensor[] {
  const channels = shape[shape.length - 1] as number;
  return () => {
    // Channels with their own offsets and spreads, as activations have.
    const x = tensor(shape, seed)
      .mul(tensor([channels], seed + 1).add(1.5))
      .add(tensor([channels], seed + 2).mul(3));
    const gamma = tensor([channels], seed + 3).add(1) as tf.Tensor1D;
    const beta = tensor([channels], seed + 4) as tf.Tensor1D;
    const moving = {
      mean: tensor([channels], seed + 5) as tf.Tensor1D,
      variance: tensor([channels], seed + 6)
        .abs()
        .add(0.5) as tf.Tensor1D,
      momentum: 0.9,
    };
    const r = tensor(shape, seed + 7);
    let stats: tf.Tensor[] = [];
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const out = batchNormInTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, moving);
      stats = [out.y, out.mean, out.variance, ...(out.moving ?? [])].map((t) => tf.keep(t));
      return tf.sum(tf.mul(out.y, r));
    })([x, gamma, beta]);
    value.dispose();
    return [...stats, ...grads];
  };
}

const NAMES = 'y, mean, variance, moving mean, moving variance, dx, dγ, dβ';

describe.skipIf(!adapter)('batch norm on WebGPU = cpu', () => {
  it('the three kernels are registered', () => {
    for (const name of [BATCH_NORM_STATS, BATCH_NORM_APPLY, BATCH_NORM_GRAD])
      expect(tf.getKernel(name, 'webgpu'), name).toBeDefined();
  });

  it('matches on random shapes: odd channel counts, batch 1, ranks 2 to 4', async () => {
    const shapes = fc.tuple(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 37 }),
    );
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer({ min: 0, max: 1e6 }), async ([lead, channels], seed) => {
        const shape = [...lead, channels];
        if (lead.reduce((p, s) => p * s, 1) < 2) return; // a variance needs two values
        await expectMatchesCpu('webgpu', opCall(shape, seed), `${NAMES} for ${JSON.stringify(shape)}`);
        checked++;
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(15);
  }, 300_000);

  it('matches at batch 1 and on ResNet-20 shapes (batch 8: 32×32×16, 16×16×32, 8×8×64)', async () => {
    for (const shape of [
      [1, 5, 3, 7],
      [1, 32, 32, 16],
      [8, 32, 32, 16],
      [8, 16, 16, 32],
      [8, 8, 8, 64],
    ])
      await expectMatchesCpu('webgpu', opCall(shape, 11), `${NAMES} for ${JSON.stringify(shape)}`);
  }, 300_000);

  it("the layer's output, gradients and moving averages equal tfjs-layers' BatchNormalization", async () => {
    await tf.setBackend('webgpu');
    for (const shape of [
      [4, 5, 5, 3],
      [2, 7, 16],
      [3, 33],
    ]) {
      const args = { momentum: 0.9, epsilon: 1e-3 };
      const ours = await trainingCallAsync(batchNormalization(args), shape, 5);
      await tf.setBackend('cpu');
      const theirs = await trainingCallAsync(tf.layers.batchNormalization(args), shape, 5);
      await tf.setBackend('webgpu');
      ['y', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance'].forEach((name, i) => {
        const expected = theirs[i] as Float32Array;
        const scale = Math.max(1, ...expected.map(Math.abs));
        expect(
          maxError(ours[i] as Float32Array, expected) / scale,
          `${name} for ${JSON.stringify(shape)}`,
        ).toBeLessThan(1e-4);
      });
    }
  }, 120_000);

  it('a training call of the layer takes 3 dispatches of batch norm (statistics, apply, gradient)', async () => {
    await tf.setBackend('webgpu');
    const pass = globalThis as unknown as Record<string, { prototype: Record<string, unknown> }>;
    const encoder = pass['GPUComputePassEncoder']!.prototype;
    const inner = encoder['dispatchWorkgroups'] as (...a: unknown[]) => unknown;
    let dispatches = 0;
    encoder['dispatchWorkgroups'] = function (this: unknown, ...args: unknown[]) {
      dispatches++;
      return inner.apply(this, args);
    };
    try {
      const layer = batchNormalization({});
      const x = tensor([4, 6, 6, 8], 3);
      const call = () =>
        tf.tidy(() => tf.grads((a: tf.Tensor) => tf.sum(layer.apply(a, { training: true }) as tf.Tensor))([x]));
      call(); // the first call builds the weights
      dispatches = 0;
      call();
      // Gradients of Σy: dy is ones (a fill, 1 dispatch) and the sum (1); the rest is batch norm's.
      expect(dispatches).toBeLessThanOrEqual(3 + 2);
      x.dispose();
    } finally {
      encoder['dispatchWorkgroups'] = inner;
    }
  });
});
