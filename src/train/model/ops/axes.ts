import * as tf from '@tensorflow/tfjs';

/**
 * Strided subsampling and its inverse, zero insertion, on the spatial axes of an N × …spatial × C
 * tensor. tfjs has no gradient for `stridedSlice`, so both are written with pad, reshape and
 * slice, whose gradients it has.
 */

/** Spatial sizes of an N × …spatial × C tensor. */
export function spatialOf(x: tf.Tensor): number[] {
  return x.shape.slice(1, -1);
}

/**
 * Every `strides[i]`-th position along each spatial axis, starting at 0 (NumPy's x[::s]): the
 * length L becomes ⌈L/s⌉. The end is padded to a multiple of s, each axis split into (L/s, s),
 * and index 0 of every s-axis kept.
 */
export function subsample(x: tf.Tensor, strides: readonly number[]): tf.Tensor {
  if (strides.every((s) => s === 1)) return x;
  const [n, ...rest] = x.shape as number[];
  const spatial = rest.slice(0, -1);
  const channels = rest[rest.length - 1] as number;
  const kept = spatial.map((l, i) => Math.ceil(l / (strides[i] ?? 1)));
  const padded = tf.pad(x, [
    [0, 0],
    ...spatial.map((l, i): [number, number] => [0, (kept[i] as number) * (strides[i] ?? 1) - l]),
    [0, 0],
  ]);
  const split = [n as number, ...kept.flatMap((k, i) => [k, strides[i] ?? 1]), channels];
  const grouped = tf.reshape(padded, split);
  const picked = tf.slice(
    grouped,
    split.map(() => 0),
    split.map((d, j) => (j > 0 && j < split.length - 1 && j % 2 === 0 ? 1 : d)),
  );
  return tf.reshape(picked, [n as number, ...kept, channels]);
}

/**
 * The transpose of `subsample`: s − 1 zeros between neighbouring positions along each axis
 * (a length L becomes (L − 1)·s + 1), as a transposed convolution spreads its input.
 */
export function insertZeros(x: tf.Tensor, strides: readonly number[]): tf.Tensor {
  if (strides.every((s) => s === 1)) return x;
  const [n, ...rest] = x.shape as number[];
  const spatial = rest.slice(0, -1);
  const channels = rest[rest.length - 1] as number;
  const split = [n as number, ...spatial.flatMap((l) => [l, 1]), channels];
  const widened = tf.pad(
    tf.reshape(x, split),
    split.map((_, j): [number, number] =>
      j > 0 && j < split.length - 1 && j % 2 === 0 ? [0, (strides[(j - 2) / 2] ?? 1) - 1] : [0, 0],
    ),
  );
  const full = spatial.map((l, i) => l * (strides[i] ?? 1));
  const spread = tf.reshape(widened, [n as number, ...full, channels]);
  return tf.slice(
    spread,
    spread.shape.map(() => 0),
    [n as number, ...spatial.map((l, i) => (l - 1) * (strides[i] ?? 1) + 1), channels],
  );
}

/** Pads the spatial axes by [before, after] each (negative amounts crop), with `value`. */
export function border(x: tf.Tensor, sides: readonly (readonly [number, number])[], value = 0): tf.Tensor {
  const grow = sides.map(([a, b]): [number, number] => [Math.max(a, 0), Math.max(b, 0)]);
  const padded = grow.some(([a, b]) => a > 0 || b > 0) ? tf.pad(x, [[0, 0], ...grow, [0, 0]], value) : x;
  if (sides.every(([a, b]) => a >= 0 && b >= 0)) return padded;
  const begin = [0, ...sides.map(([a]) => Math.max(-a, 0)), 0];
  const size = padded.shape.map((d, j) => {
    const side = sides[j - 1];
    return side ? d - Math.max(-side[0], 0) - Math.max(-side[1], 0) : d;
  });
  return tf.slice(padded, begin, size);
}
