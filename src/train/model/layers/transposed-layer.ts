import * as tf from '@tensorflow/tfjs';
import { transposedConv, type TransposedSliding } from '../ops/transposed';
import { heNormal, one, oneShape } from './common';

export interface TransposedLayerArgs extends TransposedSliding {
  readonly name: string;
  readonly filters: number;
  readonly useBias: boolean;
  readonly seed: number | null;
}

/**
 * Conv1DTranspose and Conv2DTranspose with everything the engine accepts and tfjs-layers
 * lacks: PyTorch's padding (crop) and output padding, dilation, groups, and the 1-D form.
 * Kernel in Keras' layout, k… × filters × in/groups; arithmetic in `transposedConv`.
 */
export class ConvScopeConvTranspose extends tf.layers.Layer {
  static className = 'ConvScopeConvTranspose';
  private readonly args: TransposedLayerArgs;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: TransposedLayerArgs) {
    super({ name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const inChannels = shape[shape.length - 1] as number;
    const { kernel, filters, groups, seed } = this.args;
    this.kernel = this.addWeight('kernel', [...kernel, filters, inChannels / groups], 'float32', heNormal(seed));
    if (this.args.useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const { kernel, strides, dilation, crop, outputPadding } = this.args;
    const spatial = shape.slice(1, -1).map((l, i) => {
      if (l === null) return null;
      const [before, after] = crop[i] ?? [0, 0];
      const span = (dilation[i] ?? 1) * ((kernel[i] ?? 1) - 1);
      return (l - 1) * (strides[i] ?? 1) - before - after + span + (outputPadding[i] ?? 0) + 1;
    });
    return [shape[0] ?? null, ...spatial, this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const y = transposedConv(one(inputs), (this.kernel as tf.LayerVariable).read(), this.args);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeConvTranspose);
