import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { presetModel } from '../../../src/presets';
import { suggestBatchSize } from '../../../src/train/batch-size';
import { crossEntropy } from '../../../src/train/loop/loss';
import { buildModel } from '../../../src/train/model/build';
import { startWebGpu } from './webgpu-setup';

/**
 * The batch suggestion's memory per example against what a training step holds on 'webgpu'
 * (Dawn's null adapter: every allocation and dispatch, no GPU work, so it is quick): tf.profile's
 * peak bytes, which the backend's buffer pool then keeps allocated, grow by no more than the
 * estimate per example, and not by far less (the suggestion would waste the GPU).
 */
const adapter = await startWebGpu('WebGPU memory checks', { flags: ['backend=null'] });

describe.skipIf(!adapter)('batch suggestion against a WebGPU step', () => {
  it.each([
    // Measured here: ResNet-20 8.0 MB per image (our batch-norm kernels keep little), LeNet-5 204 KB.
    ['resnet20-a', 2.5],
    ['lenet5', 1.5],
  ])(
    '%s: peak bytes per example ≤ the estimate < %s× them',
    async (id, slack) => {
      const analysis = analyzeModel(presetModel(id));
      const built = buildModel(analysis, { seed: 1 });
      if (!built.ok) throw new Error(built.error);
      const model = built.model;
      const peak = async (batch: number) => {
        const x = tf.randomNormal([batch, ...(model.inputs[0]!.shape.slice(1) as number[])]);
        const y = tf.zeros([batch], 'int32') as tf.Tensor1D;
        const { peakBytes } = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(() =>
            crossEntropy(model.apply(x, { training: true }) as tf.Tensor2D, y, 0.1, true),
          );
          tf.dispose([value, grads]);
        });
        tf.dispose([x, y]);
        return peakBytes;
      };
      const measured = ((await peak(16)) - (await peak(8))) / 8;
      model.dispose();
      const s = suggestBatchSize(
        analysis,
        { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30, budget: 2 ** 30 },
        'sgd',
      );
      if (!s.ok) throw new Error(id);
      expect(s.perExample).toBeGreaterThanOrEqual(measured);
      expect(s.perExample).toBeLessThan(measured * slack);
    },
    120_000,
  );
});
