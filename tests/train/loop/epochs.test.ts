import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectNoGrowth, heldAfterEpochs, STEPS_PER_EPOCH } from './epoch-memory';

/**
 * No tensor growth across epochs on the CPU and WASM backends: the worker loop's `train()`,
 * several epochs each with its evaluation, holds as many tensors and bytes after every epoch as
 * after the first. (WebGPU, with its GPU buffers: tests/train/backend/webgpu-epochs.test.ts.)
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('no growth from epoch to epoch', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`on ${backend}: the same tensors and bytes after every epoch`, async () => {
      await tf.setBackend(backend);
      expectNoGrowth(await heldAfterEpochs());
    }, 120_000);
  }

  it('the check catches one tensor left behind per step', async () => {
    await tf.setBackend('cpu');
    const after = await heldAfterEpochs(true);
    expect(() => expectNoGrowth(after)).toThrow();
    expect(after[1]!.tensors - after[0]!.tensors).toBe(STEPS_PER_EPOCH);
  }, 120_000);
});
