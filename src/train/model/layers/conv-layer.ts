import * as tf from '@tensorflow/tfjs';
import { depthwiseConv, groupedConv, slidingConv, type Sliding } from '../ops/conv';
import { glorotUniform, heNormal, one, oneShape, slidLength } from './common';

export interface ConvLayerArgs {
  readonly name: string;
  /** 'conv': Conv1D/Conv2D with groups; 'depthwise': DepthwiseConv2D; 'separable': SeparableConv2D. */
  readonly mode: 'conv' | 'depthwise' | 'separable';
  /** Output channels ('conv', 'separable'); unused for 'depthwise'. */
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: 'valid' | 'same';
  readonly groups: number;
  readonly depthMultiplier: number;
  readonly useBias: boolean;
  readonly seed: number | null;
}

/**
 * The convolutions tfjs-layers cannot train or build: dilated ones (no gradient for dilated
 * conv2d or depthwiseConv2d in tfjs 4.22), stride together with dilation (refused), grouped
 * Conv1D/Conv2D (no `groups`). Weights have Keras' names and shapes: `kernel` k… × in/groups ×
 * filters, `depthwise_kernel` k… × in × multiplier, `pointwise_kernel` 1 × 1 × in·m × filters,
 * `bias`. The arithmetic is `slidingConv`'s.
 */
export class ConvScopeConv extends tf.layers.Layer {
  static className = 'ConvScopeConv';
  private readonly args: ConvLayerArgs;
  private kernel: tf.LayerVariable | null = null;
  private pointwise: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: ConvLayerArgs) {
    super({ name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const inChannels = shape[shape.length - 1] as number;
    const { mode, kernelSize, filters, groups, depthMultiplier, seed } = this.args;
    if (mode === 'conv') {
      this.kernel = this.addWeight('kernel', [...kernelSize, inChannels / groups, filters], 'float32', heNormal(seed));
    } else {
      const depth = [...kernelSize, inChannels, depthMultiplier];
      this.kernel = this.addWeight('depthwise_kernel', depth, 'float32', glorotUniform(seed));
      if (mode === 'separable') {
        const pointwise = [1, 1, inChannels * depthMultiplier, filters];
        this.pointwise = this.addWeight(
          'pointwise_kernel',
          pointwise,
          'float32',
          glorotUniform(seed === null ? null : seed + 1),
        );
      }
    }
    if (this.args.useBias) {
      this.bias = this.addWeight('bias', [this.outChannels(inChannels)], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  private outChannels(inChannels: number): number {
    return this.args.mode === 'depthwise' ? inChannels * this.args.depthMultiplier : this.args.filters;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const { kernelSize, strides, dilation, padding } = this.args;
    const spatial = shape
      .slice(1, -1)
      .map((l, i) => slidLength(l, kernelSize[i] ?? 1, strides[i] ?? 1, dilation[i] ?? 1, padding));
    return [shape[0] ?? null, ...spatial, this.outChannels(shape[shape.length - 1] as number)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const { mode, kernelSize, strides, dilation, padding, groups } = this.args;
      const sliding: Sliding = { kernel: kernelSize, strides, dilation, padding };
      const kernel = (this.kernel as tf.LayerVariable).read();
      let y =
        mode === 'conv'
          ? slidingConv(x, sliding, groupedConv(kernel, groups))
          : slidingConv(x, sliding, depthwiseConv(kernel));
      if (this.pointwise) y = tf.conv2d(y as tf.Tensor4D, this.pointwise.read() as tf.Tensor4D, 1, 'valid');
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeConv);
