import * as tf from '@tensorflow/tfjs';
import type { Analysis } from '../../src/engine/analysis/result';
import { crossEntropy } from '../../src/train/loop/loss';
import { buildModel } from '../../src/train/model/build';

/**
 * What a training step of `analysis`'s model really holds per example on the current backend:
 * tf.profile's peak bytes of the loss's forward and backward pass (as the training loop's step,
 * shares.ts, computes it) at batch `large` less at batch `small`, per example of difference.
 */
export async function measuredBytesPerExample(analysis: Analysis, small: number, large: number): Promise<number> {
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
  const measured = ((await peak(large)) - (await peak(small))) / (large - small);
  model.dispose();
  return measured;
}
