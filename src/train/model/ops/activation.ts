import * as tf from '@tensorflow/tfjs';
import type { ACTIVATIONS } from '../../../engine/layers/fields';

export type ActivationName = (typeof ACTIVATIONS)[number];

/** Outputs already max(0, ·) by an op whose gradient applies ReLU's mask (see markRectified). */
const rectified = new WeakSet<tf.Tensor>();

/**
 * Marks `t`, the output of an op that applied max(0, ·) itself and whose gradient applies ReLU's
 * mask (batch norm followed by ReLU, ops/batch-norm.ts): a ReLU of it passes it through. Exact:
 * max(0, ·) of a non-negative value is itself, and the mask applied twice is the mask.
 */
export function markRectified(t: tf.Tensor): void {
  rectified.add(t);
}

/** Keras 3's default slope of leaky_relu (the engine's and the code export's too). */
export const LEAKY_SLOPE = 0.2;

/**
 * The engine's activations, as the code export writes them for PyTorch and Keras 3: ELU and
 * leaky ReLU take `alpha` (default 1 and 0.2), GELU is the exact erf form, hard sigmoid is
 * relu6(x + 3)/6 (Keras 3 and PyTorch; tfjs' hardSigmoid is Keras 2's 0.2·x + 0.5), softmax runs
 * over the last axis. Built from differentiable tfjs operations only.
 */
export function activate(x: tf.Tensor, name: ActivationName, alpha?: number): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return rectified.has(x) ? x : tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, alpha ?? LEAKY_SLOPE);
    case 'elu':
      // elu(min(x, 0)) is eˣ − 1 below zero and 0 above: α·(eˣ − 1) for x < 0, x otherwise.
      return alpha === undefined || alpha === 1
        ? tf.elu(x)
        : tf.add(tf.relu(x), tf.mul(tf.elu(tf.minimum(x, 0)), alpha));
    case 'selu':
      return tf.selu(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    case 'silu':
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hard_sigmoid':
      return tf.div(tf.relu6(tf.add(x, 3)), 6);
    case 'hard_swish':
      return tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6));
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return tf.softmax(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'mish':
      return tf.mul(x, tf.tanh(tf.softplus(x)));
  }
}
