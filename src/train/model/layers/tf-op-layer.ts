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
      /** A learnt constant of this shape (batch counted, the input's layout) in place of `constant`. */
      readonly constantShape?: readonly number[] | null;
      /** Its starting value: the op's neutral one (x + 0, x · 1), the file's values not being kept. */
      readonly constantStart?: number;
    };

/**
 * A raw TensorFlow op of a Keras 2 model (TensorFlowOpLayer): element-wise, with a scalar
 * constant where the op takes one, or DepthToSpace/SpaceToDepth on a channels-last feature map.
 * A constant the file holds as a tensor (an ONNX initializer: a learnt scale or shift) is the
 * layer's one weight, trained from `constantStart`.
 */
export class ConvScopeTensorFlowOp extends tf.layers.Layer {
  static className = 'ConvScopeTensorFlowOp';

  private learnt: tf.LayerVariable | null = null;

  constructor(private readonly args: TensorFlowOpArgs) {
    super({ name: args.name });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const a = this.args;
    if (!('blockSize' in a) && a.constantShape) {
      const value = a.constantStart ?? 0;
      this.learnt = this.addWeight('constant', [...a.constantShape], 'float32', tf.initializers.constant({ value }));
    }
    super.build(inputShape);
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
      return elementwise(x, a.op, this.learnt ? this.learnt.read() : a.constant, a.constantFirst);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeTensorFlowOp);
