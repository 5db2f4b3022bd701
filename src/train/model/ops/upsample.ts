import * as tf from '@tensorflow/tfjs';

/**
 * Upsampling by whole factors on the spatial axes of N × …spatial × C, with operations tfjs
 * can differentiate correctly (its ResizeBilinearGrad ignores halfPixelCenters).
 */
export function upsample(x: tf.Tensor, factors: readonly number[], bilinear: boolean): tf.Tensor {
  return factors.reduce((y, s, i) => (s === 1 ? y : bilinear ? linearAxis(y, i + 1, s) : nearestAxis(y, i + 1, s)), x);
}

/** Each position repeated s times: output y reads input ⌊y/s⌋. */
function nearestAxis(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  const shape = x.shape as number[];
  const expanded = tf.expandDims(x, axis + 1);
  // A broadcasting product, not tile or broadcastTo: tfjs has no tile gradient above rank 4.
  const repeated = tf.mul(expanded, tf.ones(expanded.shape.map((_, j) => (j === axis + 1 ? s : 1))));
  return tf.reshape(
    repeated,
    shape.map((d, j) => (j === axis ? d * s : d)),
  );
}

/**
 * Linear interpolation with half-pixel centres (PyTorch align_corners=False, TensorFlow 2's
 * resize): output y samples the input at (y + 0.5)/s − 0.5, clamped to the ends. For
 * y = s·i + r that is i + δᵣ with δᵣ = (2r + 1 − s)/(2s), so every phase r mixes two
 * neighbours with fixed weights; the input is edge-padded by one so the clamp falls out.
 */
function linearAxis(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  const shape = x.shape as number[];
  const length = shape[axis] as number;
  const first = tf.slice(x, begin(shape, axis, 0), size(shape, axis, 1));
  const last = tf.slice(x, begin(shape, axis, length - 1), size(shape, axis, 1));
  const edged = tf.concat([first, x, last], axis);
  const at = (offset: number) => tf.slice(edged, begin(shape, axis, offset), size(shape, axis, length));
  const phases = Array.from({ length: s }, (_, r) => {
    const delta = (2 * r + 1 - s) / (2 * s);
    return delta >= 0
      ? tf.add(tf.mul(at(1), 1 - delta), tf.mul(at(2), delta))
      : tf.add(tf.mul(at(0), -delta), tf.mul(at(1), 1 + delta));
  });
  const stacked = tf.stack(phases, axis + 1);
  return tf.reshape(
    stacked,
    shape.map((d, j) => (j === axis ? d * s : d)),
  );
}

function begin(shape: readonly number[], axis: number, at: number): number[] {
  return shape.map((_, j) => (j === axis ? at : 0));
}

function size(shape: readonly number[], axis: number, length: number): number[] {
  return shape.map((d, j) => (j === axis ? length : d));
}
