import * as tf from '@tensorflow/tfjs';
import type { ElementwiseOp } from '../../../engine/layers/tf-op';
import { depthToSpace, elementwise, spaceToDepth } from '../ops/tf-op';
import { one, oneShape } from './common';

export type TensorFlowOpArgs =
  | { readonly name: string; readonly op: 'DepthToSpace' | 'SpaceToDepth'; readonly blockSize: number }
  | {
      readonly name: string;
      readonly op: ElementwiseOp;
      readonly constant: number | null;
      readonly constantFirst: boolean;
    };

/**
 * A raw TensorFlow op of a Keras 2 model (TensorFlowOpLayer): element-wise, with a scalar
 * constant where the op takes one, or DepthToSpace/SpaceToDepth on a channels-last feature map.
 * No weights.
 */
export class ConvScopeTensorFlowOp extends tf.layers.Layer {
  static className = 'ConvScopeTensorFlowOp';

  constructor(private readonly args: TensorFlowOpArgs) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    if (!('blockSize' in this.args)) return shape;
    const b = this.args.blockSize;
    const [n, h, w, c] = shape;
    const scale = (d: number | null | undefined, f: number) => (d === null || d === undefined ? null : d * f);
    const f = this.args.op === 'DepthToSpace' ? b : 1 / b;
    return [n ?? null, scale(h, f), scale(w, f), scale(c, 1 / (f * f))];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const a = this.args;
      if ('blockSize' in a)
        return a.op === 'DepthToSpace' ? depthToSpace(x, a.blockSize) : spaceToDepth(x, a.blockSize);
      return elementwise(x, a.op, a.constant, a.constantFirst);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeTensorFlowOp);
