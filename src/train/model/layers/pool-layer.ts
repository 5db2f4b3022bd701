import * as tf from '@tensorflow/tfjs';
import { samePadding, windowOutputLength } from '../../../engine/shape/conv-arithmetic';
import { pool, type PoolWindow } from '../ops/pool';
import { one, oneShape } from './common';

export interface PoolLayerArgs extends PoolWindow {
  readonly name: string;
}

/**
 * Max and average pooling (1-D and 2-D) with what tfjs-layers' pooling lacks: PyTorch's
 * explicit padding (−∞ for max, counted zeros for average) and ceil mode. See `pool`.
 */
export class ConvScopePool extends tf.layers.Layer {
  static className = 'ConvScopePool';
  private readonly args: PoolLayerArgs;

  constructor(args: PoolLayerArgs) {
    super({ name: args.name });
    this.args = args;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const { size, strides, padding, ceilMode } = this.args;
    const spatial = shape.slice(1, -1).map((l, i) => {
      const [k, s] = [size[i] ?? 1, strides[i] ?? 1];
      if (l === null) return null;
      const pads =
        padding === 'valid' ? ([0, 0] as const) : padding === 'same' ? samePadding(l, k, s, 1) : (padding[i] ?? [0, 0]);
      return windowOutputLength(l, k, s, 1, pads, ceilMode);
    });
    return [shape[0] ?? null, ...spatial, shape[shape.length - 1] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => pool(one(inputs), this.args));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopePool);
