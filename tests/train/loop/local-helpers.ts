import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../src/train/loop/config';
import { computeShare, type Batch, type Helpers, type ShareResult } from '../../../src/train/loop/shares';

/**
 * Helpers computed in this thread, one after another, each on a model of its own: the same
 * arithmetic the helper workers do (computeShare), without the workers. For the loop's tests and
 * the accuracy bench (`--shares`), where Node has no Web Workers.
 */
export class LocalHelpers implements Helpers {
  constructor(
    private readonly models: readonly tf.LayersModel[],
    private readonly shape: readonly number[],
    private readonly config: Pick<TrainConfig, 'labelSmoothing'>,
    private readonly probabilities: boolean,
  ) {}

  get count(): number {
    return this.models.length;
  }

  async compute(weights: Float32Array, shares: readonly Batch[]): Promise<ShareResult[]> {
    return shares.map((share, i) =>
      computeShare(this.models[i] as tf.LayersModel, weights, share, this.shape, this.config, this.probabilities),
    );
  }
}
