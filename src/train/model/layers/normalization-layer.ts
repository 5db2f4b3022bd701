import * as tf from '@tensorflow/tfjs';
import { keptAxes } from '../../../engine/layers/preprocessing';
import { one } from './common';

interface Args {
  readonly name: string;
  readonly axis: number | readonly number[] | null;
  readonly mean: number | readonly number[] | null;
  readonly variance: number | readonly number[] | null;
  readonly invert: boolean;
}

/**
 * Keras' Normalization, which tfjs-layers lacks: (x − mean) / max(√variance, 1e-7) per index of
 * the kept axes. Statistics the model was given are constants; otherwise they are non-trainable
 * weights (mean, variance, count) as Keras 2 builds them, so parameter counts agree.
 */
export class ConvScopeNormalization extends tf.layers.Layer {
  static className = 'ConvScopeNormalization';
  private readonly args: Args;
  private mean: tf.LayerVariable | tf.Tensor | null = null;
  private variance: tf.LayerVariable | tf.Tensor | null = null;

  constructor(args: Args) {
    super({ name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const kept = keptAxes(this.args.axis, shape.slice(1));
    if (typeof kept === 'string') throw new Error(kept);
    const broadcast = shape.slice(1).map((d, j) => (kept.includes(j) ? (d ?? 1) : 1));
    const statShape = kept.map((j) => shape[j + 1] ?? 1);
    const { mean, variance } = this.args;
    if (mean !== null && variance !== null) {
      const constant = (v: number | readonly number[]) =>
        tf.keep(typeof v === 'number' ? tf.fill(broadcast, v) : tf.tensor(v as number[]).reshape(broadcast));
      this.mean = constant(mean);
      this.variance = constant(variance);
    } else {
      this.mean = this.addWeight('mean', statShape, 'float32', tf.initializers.zeros(), undefined, false);
      this.variance = this.addWeight('variance', statShape, 'float32', tf.initializers.ones(), undefined, false);
      this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const shape = [1, ...x.shape.slice(1).map((d, j) => (this.keptSize(x, j) ? d : 1))];
      const read = (v: tf.LayerVariable | tf.Tensor | null) =>
        (v instanceof tf.Tensor ? v : (v as tf.LayerVariable).read()).reshape(shape);
      const mean = read(this.mean);
      const std = tf.maximum(tf.sqrt(read(this.variance)), 1e-7);
      return this.args.invert ? tf.add(tf.mul(x, std), mean) : tf.div(tf.sub(x, mean), std);
    });
  }

  private keptSize(x: tf.Tensor, j: number): boolean {
    const kept = keptAxes(this.args.axis, x.shape.slice(1));
    return typeof kept !== 'string' && kept.includes(j);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeNormalization);
