import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { constantCount } from '../../../src/train/backend/webgpu/constants';
import { crossEntropy } from '../../../src/train/loop/loss';
import { Optimizer } from '../../../src/train/loop/optimizer';
import { randomValues } from './compare';
import { startWebGpu } from './webgpu-setup';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { presetModel } from '../../../src/presets/index';
import { buildModel } from '../../../src/train/model/build';
import { endsInSoftmax } from '../../../src/train/run-checks';
import { optimizers, expectSameRun, runSteps, type Case } from './training-steps';

/**
 * Whole training steps on 'webgpu' (Dawn on SwiftShader in Node) against 'cpu', as
 * training.test.ts does for WASM: loss, every gradient, three optimizer steps, every weight after
 * them, batch norm's moving statistics included, within 1e-4. And what the cached scalars are for:
 * a step uploads no scalar (each upload is a buffer copy that ends the GPU's compute pass).
 */
const adapter = await startWebGpu('WebGPU training checks');

/**
 * Counts uploads while `f` runs: tfjs-backend-webgpu writes every upload into a new buffer mapped
 * at creation (the destination itself, or a staging buffer it then copies from when the pool
 * hands it a used destination), so each upload is one createBuffer with mappedAtCreation, however
 * the pool happens to be. (Counting copies missed the uploads that found no pooled buffer.)
 */
async function uploadsDuring(f: () => Promise<void>): Promise<number> {
  const device = (globalThis as unknown as Record<string, { prototype: Record<string, unknown> }>)['GPUDevice']!
    .prototype;
  const inner = device['createBuffer'] as (d: GPUBufferDescriptor) => unknown;
  let uploads = 0;
  device['createBuffer'] = function (this: unknown, d: GPUBufferDescriptor) {
    if (d.mappedAtCreation) uploads++;
    return inner.call(this, d);
  };
  try {
    await f();
  } finally {
    device['createBuffer'] = inner;
  }
  return uploads;
}

/** The app's own ResNet-20 (the preset, through its model builder and batch-norm layer) */
const analysis = analyzeModel(presetModel('resnet20-a'));
function appResNet20(): tf.LayersModel {
  const built = buildModel(analysis, { seed: 1 });
  if (!built.ok) throw new Error(built.error);
  return built.model;
}
const app: Case = {
  name: 'ResNet-20 preset (option A) through the model builder',
  build: appResNet20,
  input: [16, 16, 3],
  // It ends in softmax: the loss reads probabilities, as the worker's (and softmax's gradient runs).
  probabilities: endsInSoftmax(analysis),
};

describe.skipIf(!adapter)('training steps on webgpu = cpu', () => {
  for (const [c, optimizer] of [
    [app, optimizers[0]!],
    [app, optimizers[1]!],
  ] as const) {
    it(`${c.name}, ${optimizer.name}`, async () => {
      const cpu = await runSteps('cpu', c, null, optimizer);
      const gpu = await runSteps('webgpu', c, cpu.initial, optimizer);
      // Moving mean and variance among the weights: the cached 1 − momentum and ε are the same numbers.
      expectSameRun(gpu, cpu, optimizer);
      expect(gpu.losses[2]!).toBeLessThan(gpu.losses[0]!);
    }, 900_000);
  }

  it('a training step with batch norm uploads no scalar: only the batch, the labels and the learning rate', async () => {
    await tf.setBackend('webgpu');
    const model = appResNet20();
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new Optimizer(optimizers[0]!);
    const step = async () => {
      const loss = tf.tidy(() => {
        const x = tf.tensor(randomValues(4 * 32 * 32 * 3, 3), [4, 32, 32, 3]);
        const y = tf.tensor1d([0, 1, 2, 3], 'int32');
        const { value, grads } = tf.variableGrads(
          () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor2D, y, 0.1, false),
          variables,
        );
        optimizer.apply(grads, variables, 0.05);
        return value;
      });
      await loss.data();
      loss.dispose();
    };
    await step();
    const kept = constantCount();
    const uploads = await uploadsDuring(step);
    // x, y, the learning rate, and the loss's seed gradient (tfjs makes a scalar 1 in JavaScript);
    // about 100 more when every scalar was uploaded.
    expect(uploads).toBeLessThanOrEqual(4);
    // The second step made no new constants: they are kept by value, not per call.
    expect(constantCount()).toBe(kept);
    optimizer.dispose();
    model.dispose();
  }, 120_000);
});
