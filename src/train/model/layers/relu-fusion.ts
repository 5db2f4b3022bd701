import type * as tf from '@tensorflow/tfjs';

/**
 * Layers of ours that can apply a following ReLU themselves in training (batch norm, Add), and
 * those told to (by fuse.ts, when a ReLU is the only reader of their output). Only their
 * training pass changes, and only on backends with kernels for the pair.
 */
const capable = new WeakSet<tf.layers.Layer>();
const told = new WeakSet<tf.layers.Layer>();

/** Declares that `layer`'s training pass honours fuseFollowingRelu (its maker calls this). */
export function canFuseRelu(layer: tf.layers.Layer): void {
  capable.add(layer);
}

/** Whether `layer` can apply a following ReLU itself. */
export const fusesRelu = (layer: tf.layers.Layer): boolean => capable.has(layer);

/**
 * Tells `layer` that a ReLU is the only reader of its output: in training it may then hand over
 * max(0, ·) of it, marked so that the ReLU passes it through (ops/activation.ts markRectified).
 */
export function fuseFollowingRelu(layer: tf.layers.Layer): void {
  if (!capable.has(layer)) throw new Error(`${layer.name} cannot apply a following ReLU itself`);
  told.add(layer);
}

/** Whether `layer` was told its only reader is a ReLU. */
export const followedByRelu = (layer: tf.layers.Layer): boolean => told.has(layer);
