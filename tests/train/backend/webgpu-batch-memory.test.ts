import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { presetModel } from '../../../src/presets';
import { suggestBatchSize } from '../../../src/train/batch-size';
import { measuredBytesPerExample } from '.././step-memory';
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
      const measured = await measuredBytesPerExample(analysis, 8, 16);
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
