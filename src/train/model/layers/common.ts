import * as tf from '@tensorflow/tfjs';

export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** The one input of a single-input layer. */
export function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

/** The one input shape of a single-input layer (batch included). */
export function oneShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
  return Array.isArray(shape[0]) ? (shape[0] as tf.Shape) : (shape as tf.Shape);
}

/** The Keras/tfjs initializers chosen for a layer's weights; `seed` makes a build repeatable. */
export function heNormal(seed: number | null): Initializer {
  return tf.initializers.heNormal(seed === null ? {} : { seed });
}

export function glorotUniform(seed: number | null): Initializer {
  return tf.initializers.glorotUniform(seed === null ? {} : { seed });
}

/** Output length of a window sliding over `length`: 'same' ⌈L/s⌉, 'valid' ⌊(L − d·(k−1) − 1)/s⌋ + 1. */
export function slidLength(
  length: number | null,
  k: number,
  s: number,
  d: number,
  padding: 'valid' | 'same',
): number | null {
  if (length === null) return null;
  return padding === 'same' ? Math.ceil(length / s) : Math.floor((length - d * (k - 1) - 1) / s) + 1;
}
