import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { randomValues } from './compare';
import { cases, optimizers, expectSameRun, runSteps } from './training-steps';

/**
 * Whole training steps on 'wasm' against 'cpu': the same model, weights and batch, the loss and
 * every gradient after one forward and backward pass, then the weights after three optimizer
 * steps (SGD with Nesterov momentum and weight decay, and Adam). Without our kernels a convnet
 * fails on WASM at the first backward pass ("Kernel 'Conv2DBackpropFilter' not registered").
 * Gradients go through many kernels whose float32 rounding differs (XNNPACK sums in another
 * order), so they are held to 1e-4 of the largest gradient of their tensor, weights to 1e-4.
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

describe('training steps on wasm = cpu', () => {
  for (const c of cases) {
    for (const optimizer of optimizers) {
      it(`${c.name}, ${optimizer.name}`, async () => {
        const cpu = await runSteps('cpu', c, null, optimizer);
        const wasm = await runSteps('wasm', c, cpu.initial, optimizer);
        expectSameRun(wasm, cpu, optimizer);
        // The steps learn: the loss after three steps is below the first.
        expect(wasm.losses[2]!).toBeLessThan(wasm.losses[0]!);
      });
    }
  }

  it('dilated convolution rewritten with space-to-batch (as the model builder does) differentiates on wasm', async () => {
    const { expectWasmMatchesCpu } = await import('./compare');
    const f = () => {
      const x = tf.tensor(randomValues(2 * 12 * 12 * 3, 3), [2, 12, 12, 3]);
      const w = tf.tensor(randomValues(3 * 3 * 3 * 4, 4), [3, 3, 3, 4]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const phases = tf.spaceToBatchND(
          a,
          [2, 2],
          [
            [0, 0],
            [0, 0],
          ],
        );
        const y = tf.conv2d(phases as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid');
        return tf
          .batchToSpaceND(
            y,
            [2, 2],
            [
              [0, 0],
              [0, 0],
            ],
          )
          .square()
          .sum();
      })([x, w]);
    };
    await expectWasmMatchesCpu(f, 'space-to-batch dilation');
  });
});
