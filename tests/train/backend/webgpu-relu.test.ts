import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { RELU_GRAD } from '../../../src/train/backend/relu-gradient';
import { activate } from '../../../src/train/model/ops/activation';
import { ADD_RELU, addRelu } from '../../../src/train/model/ops/add-relu';
import {
  BATCH_NORM_RELU_APPLY,
  BATCH_NORM_RELU_GRAD,
  batchNormInTraining,
} from '../../../src/train/model/ops/batch-norm';
import { bnReluModel, trainingCall } from '../model/fuse-cases';
import { expectMatchesCpu, maxError } from './compare';
import { tensor } from './conv-cases';
import { startWebGpu } from './webgpu-setup';

/**
 * ReLU on 'webgpu' (Dawn on SwiftShader in Node): its gradient as one kernel of ours, and batch
 * norm followed by ReLU as one op (apply and gradient kernels), against the CPU backend's
 * unfused ops (values, gradients, statistics and moving averages within 1e-4), and a model
 * whose pairs are fused against the same model unfused and against tfjs-layers' BatchNormalization.
 */
const adapter = await startWebGpu('WebGPU ReLU checks');

/** Values in [-1, 1) with about a quarter exactly 0 or −0 (ReLU's gradient there is 0). */
const withZeros = (shape: number[], seed: number) =>
  tf.tidy(() => {
    const v = tensor(shape, seed);
    const zero = tf.less(tf.abs(tensor(shape, seed + 1)), 0.25);
    return tf.where(zero, tf.mul(tf.sign(v), 0), v);
  });

/** relu(x) and its gradient under a random linear loss. */
const reluCall = (shape: number[], seed: number) => () => {
  const x = withZeros(shape, seed);
  const r = tensor(shape, seed + 2);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), r)))([x]);
  value.dispose();
  return [tf.relu(x), ...grads];
};

/** A residual sum then ReLU (our op where the backend has its kernel, else the sum), its value and gradients. */
const addReluCall = (shape: number[], seed: number) => () => {
  const [a, b] = [tensor(shape, seed), withZeros(shape, seed + 1)];
  const r = tensor(shape, seed + 2);
  const f = (x: tf.Tensor, y: tf.Tensor) => activate(addRelu(x, y) ?? tf.add(x, y), 'relu');
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), r)))([a, b]);
  value.dispose();
  return [f(a, b), ...grads];
};

/** Batch norm then ReLU (the op asked to fuse, then activate's ReLU): y, statistics, moving averages, dx, dγ, dβ. */
function bnReluCall(shape: number[], seed: number, relu = true): () => tf.Tensor[] {
  const channels = shape[shape.length - 1] as number;
  return () => {
    const x = tensor(shape, seed)
      .mul(tensor([channels], seed + 1).add(1.5))
      .add(tensor([channels], seed + 2).mul(3));
    // γ of both signs (the mask then selects x below the mean), β shifting the cut.
    const gamma = tensor([channels], seed + 3).mul(2) as tf.Tensor1D;
    const beta = tensor([channels], seed + 4) as tf.Tensor1D;
    const moving = {
      mean: tensor([channels], seed + 5) as tf.Tensor1D,
      variance: tf.ones([channels]) as tf.Tensor1D,
      momentum: 0.9,
    };
    const r = tensor(shape, seed + 7);
    let stats: tf.Tensor[] = [];
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const out = batchNormInTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, moving, relu);
      const y = activate(out.y, 'relu');
      stats = [y, out.mean, out.variance, ...(out.moving ?? [])].map((t) => tf.keep(t));
      return tf.sum(tf.mul(y, r));
    })([x, gamma, beta]);
    value.dispose();
    return [...stats, ...grads];
  };
}

const BN_NAMES = 'relu(y), mean, variance, moving mean, moving variance, dx, dγ, dβ';

/** The kernels one call runs on the current backend. */
async function kernelsOf(f: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  const profile = await tf.profile(() => {
    const out = f();
    return out;
  });
  return profile.kernels.map((k) => k.name);
}

const shapes = fc.tuple(
  fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
  fc.integer({ min: 1, max: 37 }),
);

describe.skipIf(!adapter)('ReLU on WebGPU = cpu', () => {
  it("ReLU's gradient is one kernel of ours, and matches on random shapes (batch 1, odd sizes, zeros)", async () => {
    await tf.setBackend('webgpu');
    const names = await kernelsOf(() => tf.tidy(() => reluCall([2, 3, 5], 1)()));
    expect(names).toContain(RELU_GRAD);
    expect(names).not.toContain('Step');
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer({ min: 0, max: 1e6 }), async ([lead, last], seed) => {
        const shape = [...lead, last];
        // Exact: both pass dy or write 0.
        await expectMatchesCpu('webgpu', reluCall(shape, seed), `relu, dx for ${JSON.stringify(shape)}`, 0);
        checked++;
      }),
      { numRuns: 20 },
    );
    expect(checked).toBe(20);
    await expectMatchesCpu('webgpu', reluCall([1, 32, 32, 16], 3), 'relu at [1, 32, 32, 16]', 0);
  }, 300_000);

  it('batch norm then ReLU is two kernels of ours and no ReLU, and matches on random shapes', async () => {
    await tf.setBackend('webgpu');
    const names = await kernelsOf(() => tf.tidy(() => bnReluCall([3, 4, 5], 1)()));
    expect(names).toContain(BATCH_NORM_RELU_APPLY);
    expect(names).toContain(BATCH_NORM_RELU_GRAD);
    expect(names.filter((n) => n === 'Relu' || n === RELU_GRAD || n === 'Step')).toEqual([]);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer({ min: 0, max: 1e6 }), async ([lead, channels], seed) => {
        const shape = [...lead, channels];
        if (lead.reduce((p, s) => p * s, 1) < 2) return; // a variance needs two values
        await expectMatchesCpu('webgpu', bnReluCall(shape, seed), `${BN_NAMES} for ${JSON.stringify(shape)}`);
        checked++;
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(15);
    for (const shape of [
      [1, 5, 3, 7],
      [8, 32, 32, 16],
      [8, 8, 8, 64],
    ])
      await expectMatchesCpu('webgpu', bnReluCall(shape, 11), `${BN_NAMES} for ${JSON.stringify(shape)}`);
  }, 300_000);

  it('a sum then ReLU is one kernel forward and one backward, and matches on random shapes', async () => {
    await tf.setBackend('webgpu');
    const names = await kernelsOf(() => tf.tidy(() => addReluCall([3, 4, 5], 1)()));
    expect(names.filter((n) => n === ADD_RELU)).toHaveLength(2); // the value, and the gradient's forward pass
    expect(names.filter((n) => n === 'Add' || n === 'Relu' || n === 'Step')).toEqual([]);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer({ min: 0, max: 1e6 }), async ([lead, last], seed) => {
        const shape = [...lead, last];
        await expectMatchesCpu(
          'webgpu',
          addReluCall(shape, seed),
          `relu(a + b), da, db for ${JSON.stringify(shape)}`,
          0,
        );
        checked++;
      }),
      { numRuns: 20 },
    );
    expect(checked).toBe(20);
  }, 300_000);

  it('fused equals unfused on WebGPU itself', async () => {
    for (const shape of [
      [2, 3, 3, 5],
      [4, 8, 8, 16],
    ])
      await expectMatchesCpu(
        'webgpu',
        bnReluCall(shape, 5),
        `${BN_NAMES}, fused against unfused on webgpu`,
        1e-4,
        bnReluCall(shape, 5, false),
      );
  }, 120_000);

  it("a model's fused pairs train as the unfused model and as tfjs-layers' BatchNormalization", async () => {
    for (const [batch, channels] of [
      [1, 5],
      [3, 8],
    ] as const) {
      await tf.setBackend('webgpu');
      const models = {
        fused: bnReluModel('fused', [6, 5, 3], channels, 7),
        ours: bnReluModel('ours', [6, 5, 3], channels, 7),
        tfjs: bnReluModel('tfjs', [6, 5, 3], channels, 7),
      };
      const names = await kernelsOf(() => trainingCall(models.fused, batch, 11));
      expect(names.filter((n) => n === BATCH_NORM_RELU_APPLY)).toHaveLength(2);
      expect(names.filter((n) => n === BATCH_NORM_RELU_GRAD)).toHaveLength(2);
      expect(names.filter((n) => n === ADD_RELU)).toHaveLength(1);
      expect(names).not.toContain('Relu');
      // The same first call for the others, so that each has updated its moving statistics once.
      const unfused = await kernelsOf(() => trainingCall(models.ours, batch, 11));
      expect(unfused.filter((n) => n === 'Relu')).toHaveLength(3);
      tf.dispose(trainingCall(models.tfjs, batch, 11));
      const run = async (m: tf.LayersModel) => {
        const out = trainingCall(m, batch, 13);
        const values = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
        tf.dispose(out);
        return values;
      };
      const fused = await run(models.fused);
      for (const reference of [models.ours, models.tfjs]) {
        const expected = await run(reference);
        expected.forEach((e, i) =>
          expect(maxError(fused[i] as Float32Array, e), `output ${i}, batch ${batch}`).toBeLessThan(1e-4),
        );
      }
      Object.values(models).forEach((m) => m.dispose());
    }
  }, 300_000);
});
