import { existsSync } from 'node:fs';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWebGpuTrainingKernels } from '../../../src/train/backend/webgpu/kernels';
import { insertZeros, subsample } from '../../../src/train/model/ops/axes';
import { expectMatchesCpu } from './compare';
import { conv2dGradients, convCaseArb, filterGradientOf, RESNET20_CASES, tensor, type ConvCase } from './conv-cases';
import { installDawn, SWIFTSHADER_ICD } from './dawn';

/**
 * tfjs-backend-webgpu in Node through Dawn (the `webgpu` package) on SwiftShader, Chromium's
 * software Vulkan driver, which `.ci/run` installs: our WebGPU filter gradient and the ops
 * training uses, against the CPU backend (gradients within 1e-4). A machine without chromium
 * skips with a line saying so.
 */
const adapter = await installDawn().catch((e: unknown) => {
  console.warn(`WebGPU kernel checks skipped: ${e instanceof Error ? e.message : String(e)}`);
  return null;
});
if (!adapter) console.warn('WebGPU kernel checks skipped: Dawn found no adapter (apt-get install chromium)');

// With chromium installed (as .ci/run does) SwiftShader is there: no adapter then is a failure.
it.runIf(existsSync(SWIFTSHADER_ICD))('Dawn finds a WebGPU adapter on SwiftShader', () => {
  expect(adapter?.name).toBeTruthy();
});

let packageFilterGradient: tf.KernelFunc | undefined;

beforeAll(async () => {
  if (!adapter) return;
  await import('@tensorflow/tfjs-backend-webgpu');
  packageFilterGradient = tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc;
  registerWebGpuTrainingKernels();
  expect(await tf.setBackend('webgpu')).toBe(true);
  await tf.setBackend('cpu');
}, 60_000);

/** Random NHWC convolutions; half of them big enough (n·oh·ow ≥ 2,000) for tfjs' split-K product. */
const nhwcCases: fc.Arbitrary<ConvCase> = fc.oneof(
  convCaseArb.map((c) => ({ ...c, nchw: false })),
  convCaseArb.map((c) => ({ ...c, nchw: false, n: 8, h: 16 + c.h, w: 16 + c.w, pad: 'same' as const })),
);

describe.skipIf(!adapter)('WebGPU training kernels = cpu', () => {
  it('our filter gradient is the one registered', () => {
    expect(packageFilterGradient).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc).not.toBe(packageFilterGradient);
  });

  it('the filter gradient (im2col and one split-K matrix product) matches on random convolutions', async () => {
    let checked = 0;
    await fc.assert(
      // NHWC: NCHW calls keep the package's kernel.
      fc.asyncProperty(nhwcCases, async (c) => {
        const f = filterGradientOf(c);
        if (!f) return;
        await expectMatchesCpu('webgpu', f, JSON.stringify(c));
        checked++;
      }),
      { numRuns: 30 },
    );
    expect(checked).toBeGreaterThan(15);
  }, 300_000);

  it('ResNet-20 shapes through the public gradient of tf.conv2d: 3×3 stride 1 and 2, 1×1 stride 2', async () => {
    for (const c of RESNET20_CASES) await expectMatchesCpu('webgpu', conv2dGradients(c), JSON.stringify(c));
  }, 120_000);

  it('option-A subsampling and zero insertion, and their gradients (a rank-6 pad broke here)', async () => {
    for (const [shape, strides] of [
      [
        [2, 9, 8, 3],
        [2, 2],
      ],
      [[2, 7, 5], [3]],
      [
        [1, 5, 6, 4],
        [2, 3],
      ],
    ] as [number[], number[]][]) {
      const dyShape = subsample(tf.zeros(shape), strides).shape;
      const f = () => {
        const dy = tensor(dyShape, 7);
        const [g] = tf.grads((x: tf.Tensor) => subsample(x, strides).mul(dy).sum())([tensor(shape, 5)]);
        return [subsample(tensor(shape, 5), strides), g as tf.Tensor, insertZeros(tensor(shape, 6), strides)];
      };
      await expectMatchesCpu('webgpu', f, JSON.stringify({ shape, strides }), 0);
    }
  }, 120_000);

  it('the gradients of Mean and Sum (dy broadcast, no array of ones built in JavaScript)', async () => {
    for (const [shape, axes] of [
      [
        [8, 6, 6, 5],
        [0, 1, 2],
      ],
      [[4, 7], [1]],
      [
        [3, 4, 5],
        [0, 2],
      ],
    ] as [number[], number[]][]) {
      const weight = () => tensor(shape, 3);
      // Linear in fixed dy tensors: the gradients are exact whatever order the forward sums take.
      const dy = (keep: boolean, seed: number) =>
        tensor(
          shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d])),
          seed,
        );
      const f = () =>
        tf.grad((t: tf.Tensor) =>
          tf
            .sum(tf.mul(tf.mean(tf.mul(t, weight()), axes), dy(false, 8)))
            .add(tf.sum(tf.mul(tf.sum(tf.mul(t, weight()), axes, true), dy(true, 9)))),
        )(tensor(shape, 4));
      await expectMatchesCpu('webgpu', f, JSON.stringify({ shape, axes }), 0);
    }
  }, 60_000);
});
