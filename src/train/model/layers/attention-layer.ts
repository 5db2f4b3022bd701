import * as tf from '@tensorflow/tfjs';
import { glorotUniform } from './common';

export interface AttentionLayerArgs {
  readonly name: string;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly useBias: boolean;
  /** Size of the output's last axis; null: the query's. */
  readonly outputDim: number | null;
  readonly seed: number | null;
}

type Kernel = 'query' | 'key' | 'value' | 'attention_output';

/**
 * Keras' MultiHeadAttention, which tfjs-layers lacks, called on [query, value] or [query, value,
 * key]. Weights have Keras' names and shapes: query/kernel Eq × h × keyDim, key/kernel Ek × h ×
 * keyDim, value/kernel Ev × h × valueDim, attention_output/kernel h × valueDim × Eo, each with
 * a bias (h × dim, and Eo) when `useBias`. Kernels Glorot-uniform and biases 0, as Keras.
 *
 * Per head: softmax(q·kᵀ/√keyDim)·v (Vaswani et al. 2017, eq. 1), the heads' results joined and
 * projected to Eo. Keras' default attention axes: every axis between the batch and the features,
 * so a query of H × W × E attends over all H·W value positions at once; the axes are flattened
 * into one here, which computes the same. No dropout or masks (the engine has neither).
 */
export class ConvScopeMultiHeadAttention extends tf.layers.Layer {
  static className = 'ConvScopeMultiHeadAttention';
  private readonly args: AttentionLayerArgs;
  private readonly kernels = new Map<Kernel, tf.LayerVariable>();
  private readonly biases = new Map<Kernel, tf.LayerVariable>();

  constructor(args: AttentionLayerArgs) {
    super({ name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = inputShape as tf.Shape[];
    const last = (s: tf.Shape | undefined) => (s ? (s[s.length - 1] as number) : 0);
    const [query, value, key = value] = shapes;
    const { numHeads: h, keyDim, valueDim, useBias, seed } = this.args;
    const eo = this.args.outputDim ?? last(query);
    const shapesOf: [Kernel, number[], number[]][] = [
      ['query', [last(query), h, keyDim], [h, keyDim]],
      ['key', [last(key), h, keyDim], [h, keyDim]],
      ['value', [last(value), h, valueDim], [h, valueDim]],
      ['attention_output', [h, valueDim, eo], [eo]],
    ];
    shapesOf.forEach(([which, kernel, bias], i) => {
      const init = glorotUniform(seed === null ? null : seed + i);
      this.kernels.set(which, this.addWeight(`${which}/kernel`, kernel, 'float32', init));
      if (useBias) this.biases.set(which, this.addWeight(`${which}/bias`, bias, 'float32', tf.initializers.zeros()));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const query = (inputShape as tf.Shape[])[0] as tf.Shape;
    return [...query.slice(0, -1), this.args.outputDim ?? (query[query.length - 1] as number)];
  }

  /** x (B × … × E) projected by `which`: B × h × positions × dim. */
  private project(x: tf.Tensor, which: Kernel): tf.Tensor {
    const kernel = (this.kernels.get(which) as tf.LayerVariable).read();
    const [e, h, dim] = kernel.shape as [number, number, number];
    const batch = x.shape[0] as number;
    let y = tf.matMul(tf.reshape(x, [-1, e]), tf.reshape(kernel, [e, h * dim]));
    const bias = this.biases.get(which);
    if (bias) y = tf.add(y, tf.reshape(bias.read(), [h * dim]));
    return tf.transpose(tf.reshape(y, [batch, -1, h, dim]), [0, 2, 1, 3]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [query, value, key = value] = inputs as tf.Tensor[];
      if (!query || !value) throw new Error('MultiHeadAttention needs a query and a value');
      const { keyDim, valueDim, numHeads: h } = this.args;
      const q = tf.mul(this.project(query, 'query'), 1 / Math.sqrt(keyDim));
      const k = this.project(key as tf.Tensor, 'key');
      const v = this.project(value, 'value');
      const weights = tf.softmax(tf.matMul(q, k, false, true));
      // B × h × Nq × valueDim → B·Nq × h·valueDim, the heads side by side as the output kernel reads them.
      const heads = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]);
      const out = this.kernels.get('attention_output') as tf.LayerVariable;
      const eo = out.shape[2] as number;
      let y = tf.matMul(tf.reshape(heads, [-1, h * valueDim]), tf.reshape(out.read(), [h * valueDim, eo]));
      const bias = this.biases.get('attention_output');
      if (bias) y = tf.add(y, bias.read());
      return tf.reshape(y, [...query.shape.slice(0, -1), eo]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(ConvScopeMultiHeadAttention);
