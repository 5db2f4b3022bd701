import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets/index';
import { crossEntropy } from '../../src/train/loop/loss';
import { Optimizer } from '../../src/train/loop/optimizer';
import { buildModel } from '../../src/train/model/build';
import { installDawn } from '../train/backend/dawn';

/** What train.bench.ts and its profiler time: one ResNet-20 training step, on whatever backend is active. */

export const argValue = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
export const BATCH = argValue('--batch', 64);

export interface ResNetStep {
  readonly train: () => Promise<void>;
  readonly infer: () => Promise<void>;
}

/** Builds the model on the current backend; each call of `train` is one optimizer step. */
export function resnetStep(): ResNetStep {
  const built = buildModel(analyzeModel(presetModel('resnet20-a')), { seed: 1 });
  if (!built.ok) throw new Error(built.error);
  const model = built.model;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Optimizer({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const x = tf.randomUniform([BATCH, 32, 32, 3], -2, 2, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => i % 10),
    'int32',
  );
  const train = async () => {
    const loss = tf.tidy(() => {
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
  const infer = async () => {
    const out = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
    await out.data();
    out.dispose();
  };
  return { train, infer };
}

/** Wall-clock milliseconds of each of `count` calls. */
export async function timeSteps(count: number, step: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return times;
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Starts WebGPU through Dawn; throws when no adapter is found. */
export async function webGpu(): Promise<{ name: string; software: boolean }> {
  const adapter = await installDawn();
  if (!adapter) throw new Error('no WebGPU adapter (set VK_ICD_FILENAMES to a Vulkan driver, e.g. SwiftShader)');
  return adapter;
}
