import * as tf from '@tensorflow/tfjs';
import { activate, type ActivationName } from '../ops/activation';
import { border, subsample } from '../ops/axes';
import { globalMax } from '../ops/global-max';
import { upsample } from '../ops/upsample';
import { one, oneShape } from './common';

/**
 * Small layers without weights for what tfjs-layers lacks or does differently. Each keeps its
 * arguments as its config, so a saved model loads again once this module is imported.
 */
abstract class Stateless<A extends { readonly name: string }> extends tf.layers.Layer {
  protected readonly args: A;

  constructor(args: A) {
    super({ name: args.name });
    this.args = args;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...args } = this.args;
    return { ...super.getConfig(), ...args } as unknown as tf.serialization.ConfigDict;
  }
}

/** The engine's activations with its exact semantics (see `activate`). */
export class ConvScopeActivation extends Stateless<{ name: string; activation: ActivationName; alpha: number | null }> {
  static className = 'ConvScopeActivation';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => activate(one(inputs), this.args.activation, this.args.alpha ?? undefined));
  }
}

/**
 * Padding (positive amounts, with `value`) and cropping (negative amounts) of the spatial axes:
 * ZeroPadding1D, Cropping1D, and the explicit or causal padding of 1-D convolutions.
 */
export class ConvScopeBorder extends Stateless<{
  name: string;
  sides: readonly (readonly [number, number])[];
  value: number;
}> {
  static className = 'ConvScopeBorder';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    return shape.map((d, j) => {
      const side = j > 0 && j < shape.length - 1 ? this.args.sides[j - 1] : undefined;
      return d === null || !side ? d : d + side[0] + side[1];
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => border(one(inputs), this.args.sides, this.args.value));
  }
}

/**
 * He et al. 2015's option A shortcut: x[::s] on each spatial axis (⌈L/s⌉ positions), then zero
 * channels appended up to `filters`, ⌊extra/2⌋ before and the rest after (as the engine, the
 * PyTorch export and the common CIFAR code do). No weights.
 */
export class ConvScopeZeroPadShortcut extends Stateless<{ name: string; filters: number; strides: readonly number[] }> {
  static className = 'ConvScopeZeroPadShortcut';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const spatial = shape.slice(1, -1).map((l, i) => (l === null ? null : Math.ceil(l / (this.args.strides[i] ?? 1))));
    return [shape[0] ?? null, ...spatial, this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = subsample(one(inputs), this.args.strides);
      const extra = this.args.filters - (x.shape[x.rank - 1] as number);
      const before = Math.floor(extra / 2);
      return tf.pad(x, [...x.shape.slice(0, -1).map((): [number, number] => [0, 0]), [before, extra - before]]);
    });
  }
}

/** UpSampling1D, and bilinear UpSampling2D with half-pixel centres (see `upsample`). */
export class ConvScopeUpsample extends Stateless<{ name: string; size: readonly number[]; bilinear: boolean }> {
  static className = 'ConvScopeUpsample';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    return shape.map((d, j) => {
      const s = j > 0 && j < shape.length - 1 ? (this.args.size[j - 1] ?? 1) : 1;
      return d === null ? null : d * s;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => upsample(one(inputs), this.args.size, this.args.bilinear));
  }
}

/** GlobalMaxPooling1D/2D (keepdims too) with the gradient split among tied maxima (see `globalMax`). */
export class ConvScopeGlobalMaxPool extends Stateless<{ name: string; keepdims: boolean }> {
  static className = 'ConvScopeGlobalMaxPool';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const channels = shape[shape.length - 1] ?? null;
    return this.args.keepdims
      ? [shape[0] ?? null, ...shape.slice(1, -1).map(() => 1), channels]
      : [shape[0] ?? null, channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => globalMax(one(inputs), this.args.keepdims));
  }
}

/** TimeDistributed, first half: N × T × … → (N·T) × …, so the wrapped layers see one step each. */
export class ConvScopeMergeSteps extends Stateless<{ name: string }> {
  static className = 'ConvScopeMergeSteps';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const [n, t] = shape;
    return [n === null || t === null || n === undefined || t === undefined ? null : n * t, ...shape.slice(2)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = one(inputs);
    return tf.reshape(x, [-1, ...x.shape.slice(2)]);
  }
}

/** TimeDistributed, second half: (N·T) × … back to N × T × …, T read from the wrapper's input. */
export class ConvScopeSplitSteps extends Stateless<{ name: string }> {
  static className = 'ConvScopeSplitSteps';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [inner, outer] = inputShape as tf.Shape[];
    return [outer?.[0] ?? null, outer?.[1] ?? null, ...(inner ?? []).slice(1)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [inner, outer] = inputs as tf.Tensor[];
    const [n, t] = (outer as tf.Tensor).shape;
    return tf.reshape(inner as tf.Tensor, [n as number, t as number, ...(inner as tf.Tensor).shape.slice(1)]);
  }
}

/** x[:, …, start:end] on one axis (`axis` counts the batch as 0), the end clamped as Python does. */
export class ConvScopeSlice extends Stateless<{ name: string; axis: number; start: number; end: number }> {
  static className = 'ConvScopeSlice';

  private sizeOf(length: number | null): number | null {
    return length === null ? null : Math.max(0, Math.min(this.args.end, length) - this.args.start);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape).map((d, j) => (j === this.args.axis ? this.sizeOf(d) : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const begin = x.shape.map((_, j) => (j === this.args.axis ? this.args.start : 0));
      const size = x.shape.map((d, j) => (j === this.args.axis ? (this.sizeOf(d) as number) : -1));
      return tf.slice(x, begin, size);
    });
  }
}

for (const cls of [
  ConvScopeActivation,
  ConvScopeSlice,
  ConvScopeBorder,
  ConvScopeZeroPadShortcut,
  ConvScopeUpsample,
  ConvScopeGlobalMaxPool,
  ConvScopeMergeSteps,
  ConvScopeSplitSteps,
]) {
  tf.serialization.registerClass(cls);
}
