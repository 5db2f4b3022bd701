import * as tf from '@tensorflow/tfjs';

/**
 * Strided subsampling and its inverse, zero insertion, on the spatial axes of an N × …spatial × C
 * tensor. tfjs has no gradient for `stridedSlice`, so both are written with pad, reshape and
 * slice, whose gradients it has.
 *
 * Both view the tensor with each spatial axis split in two, (L/s, s), and each s-axis merged with
 * the axis after it: [N·L₁/s₁, s₁·L₂/s₂, …, s_d·C]. Index 0 of an s-axis is then a prefix of the
 * merged axis, so a slice or pad of rank d + 1 does the work (d + 2 with the s-axes kept apart
 * would be rank 2d + 2, and tfjs-backend-webgpu 4.22 cannot pad a rank-6 tensor: its shader
 * declares a `vec6`, which WGSL lacks).
 */

/** Spatial sizes of an N × …spatial × C tensor. */
export function spatialOf(x: tf.Tensor): number[] {
  return x.shape.slice(1, -1);
}

/**
 * The merged view's shape: [n·outer₁, inner₁·outer₂, …, inner_d·channels] for per-axis
 * (outer, inner) splits.
 */
function mergedView(n: number, outer: readonly number[], inner: readonly number[], channels: number): number[] {
  return outer.map((o, i) => (i === 0 ? n : (inner[i - 1] as number)) * o).concat((inner.at(-1) ?? 1) * channels);
}

/**
 * Every `strides[i]`-th position along each spatial axis, starting at 0 (NumPy's x[::s]): the
 * length L becomes ⌈L/s⌉. The end is padded to a multiple of s, each axis split into (L/s, s),
 * and index 0 of every s-axis kept.
 */
export function subsample(x: tf.Tensor, strides: readonly number[]): tf.Tensor {
  if (x.rank < 3 || strides.every((s) => s === 1)) return x;
  const [n, ...rest] = x.shape as number[];
  const spatial = rest.slice(0, -1);
  const channels = rest[rest.length - 1] as number;
  const step = spatial.map((_, i) => strides[i] ?? 1);
  const kept = spatial.map((l, i) => Math.ceil(l / (step[i] as number)));
  const padded = tf.pad(x, [
    [0, 0],
    ...spatial.map((l, i): [number, number] => [0, (kept[i] as number) * (step[i] as number) - l]),
    [0, 0],
  ]);
  const view = tf.reshape(padded, mergedView(n as number, kept, step, channels));
  const picked = tf.slice(
    view,
    view.shape.map(() => 0),
    mergedView(
      n as number,
      kept,
      step.map(() => 1),
      channels,
    ),
  );
  return tf.reshape(picked, [n as number, ...kept, channels]);
}

/**
 * The transpose of `subsample`: s − 1 zeros between neighbouring positions along each axis
 * (a length L becomes (L − 1)·s + 1), as a transposed convolution spreads its input.
 */
export function insertZeros(x: tf.Tensor, strides: readonly number[]): tf.Tensor {
  if (x.rank < 3 || strides.every((s) => s === 1)) return x;
  const [n, ...rest] = x.shape as number[];
  const spatial = rest.slice(0, -1);
  const channels = rest[rest.length - 1] as number;
  const step = spatial.map((_, i) => strides[i] ?? 1);
  const view = mergedView(
    n as number,
    spatial,
    step.map(() => 1),
    channels,
  );
  const wide = mergedView(n as number, spatial, step, channels);
  const widened = tf.pad(
    tf.reshape(x, view),
    view.map((d, j): [number, number] => [0, (wide[j] as number) - d]),
  );
  const full = spatial.map((l, i) => l * (step[i] as number));
  const spread = tf.reshape(widened, [n as number, ...full, channels]);
  return tf.slice(
    spread,
    spread.shape.map(() => 0),
    [n as number, ...spatial.map((l, i) => (l - 1) * (step[i] as number) + 1), channels],
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
