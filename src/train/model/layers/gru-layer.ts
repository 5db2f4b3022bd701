import * as tf from '@tensorflow/tfjs';
import { activate, type ActivationName } from '../ops/activation';
import type { Initializer } from './common';

export interface ResetAfterGRUArgs {
  readonly name: string;
  readonly units: number;
  readonly activation: ActivationName;
  readonly recurrentActivation: ActivationName;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly seed: number | null;
}

/**
 * One step of Keras' GRU with reset_after=True (its default since Keras 2.3, and PyTorch's
 * nn.GRU), which tfjs-layers 4.22 refuses. Keras' gate order z, r, h in kernel (features × 3u)
 * and recurrent_kernel (u × 3u); bias 2 × 3u, row 0 for the input, row 1 for the state:
 *   z = σ(x·Wz + bz + h·Uz + b′z), r = σ(x·Wr + br + h·Ur + b′r),
 *   ĥ = tanh(x·Wh + bh + r ⊙ (h·Uh + b′h)), h′ = z ⊙ h + (1 − z) ⊙ ĥ
 * (Keras' GRUCell; PyTorch's documentation writes the same with n for ĥ).
 */
class ResetAfterGRUCell extends tf.layers.Layer {
  static className = 'ConvScopeResetAfterGRUCell';
  readonly stateSize: number;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(private readonly args: ResetAfterGRUArgs) {
    super({ name: `${args.name}_cell` });
    this.stateSize = args.units;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1] as number;
    const { units, seed } = this.args;
    const init = (kind: 'glorotUniform' | 'orthogonal', offset: number): Initializer =>
      tf.initializers[kind](seed === null ? {} : { seed: seed + offset }) as Initializer;
    this.kernel = this.addWeight('kernel', [features, 3 * units], 'float32', init('glorotUniform', 0));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [units, 3 * units], 'float32', init('orthogonal', 1));
    if (this.args.useBias) this.bias = this.addWeight('bias', [2, 3 * units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const [x, state] = inputs as [tf.Tensor, tf.Tensor];
      let fromInput = tf.matMul(x, (this.kernel as tf.LayerVariable).read());
      let fromState = tf.matMul(state, (this.recurrentKernel as tf.LayerVariable).read());
      if (this.bias) {
        const [bIn, bState] = tf.unstack(this.bias.read());
        fromInput = tf.add(fromInput, bIn as tf.Tensor);
        fromState = tf.add(fromState, bState as tf.Tensor);
      }
      const [xz, xr, xh] = tf.split(fromInput, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [hz, hr, hh] = tf.split(fromState, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const gate = this.args.recurrentActivation;
      const z = activate(tf.add(xz, hz), gate);
      const r = activate(tf.add(xr, hr), gate);
      const candidate = activate(tf.add(xh, tf.mul(r, hh)), this.args.activation);
      const h = tf.add(tf.mul(z, state), tf.mul(tf.sub(1, z), candidate));
      return [h, h];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args } as unknown as tf.serialization.ConfigDict;
  }
}

/**
 * The GRU layer over `ResetAfterGRUCell`: tfjs' RNN runs the steps (and Bidirectional clones it
 * from its config, hence the registered class).
 */
export class ResetAfterGRU extends tf.RNN {
  static override className = 'ConvScopeResetAfterGRU';

  constructor(private readonly gruArgs: ResetAfterGRUArgs) {
    const cell = new ResetAfterGRUCell(gruArgs) as unknown as tf.RNN['cell'];
    super({ name: gruArgs.name, cell, returnSequences: gruArgs.returnSequences, goBackwards: gruArgs.goBackwards });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.gruArgs } as unknown as tf.serialization.ConfigDict;
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(ResetAfterGRUCell);
tf.serialization.registerClass(ResetAfterGRU);
