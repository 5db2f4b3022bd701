import * as tf from '@tensorflow/tfjs';
import { border, insertZeros, spatialOf } from './axes';
import { groupedConv, slidingConv } from './conv';

export interface TransposedSliding {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  /** PyTorch's `padding`: [before, after] cropped from the full output, per axis. */
  readonly crop: readonly (readonly [number, number])[];
  /** PyTorch's `output_padding`: extra positions at the end, per axis. */
  readonly outputPadding: readonly number[];
}

/**
 * A transposed convolution (the gradient of a convolution with respect to its input), output
 * length (L − 1)·s − p₀ − p₁ + d·(k − 1) + outputPadding + 1 (PyTorch ConvTranspose docs).
 *
 * The full output, F = (L − 1)·s + d·(k − 1) + 1 positions, is computed first, then
 * [p₀, p₀ + out) is kept; output padding beyond F adds positions no input reaches (zeros here,
 * the bias later). Without dilation or groups this is tfjs' conv2dTranspose. Otherwise it is
 * the textbook equivalence (Dumoulin & Visin 2016, §4): s − 1 zeros between inputs,
 * d·(k − 1) zeros of padding on both sides, and a convolution with the kernel flipped and its
 * in/out axes swapped, with the same dilation and groups.
 *
 * `kernel` is Keras' layout: k… × out × in/groups.
 */
export function transposedConv(x: tf.Tensor, kernel: tf.Tensor, t: TransposedSliding): tf.Tensor {
  const rank = x.rank - 2;
  const lengths = spatialOf(x);
  const full = lengths.map(
    (l, i) => (l - 1) * (t.strides[i] ?? 1) + (t.dilation[i] ?? 1) * ((t.kernel[i] ?? 1) - 1) + 1,
  );
  const extra = t.crop.map(([, after], i) => Math.max((t.outputPadding[i] ?? 0) - after, 0));
  const simple = t.groups === 1 && t.dilation.every((d) => d === 1);
  const y = simple ? direct(x, kernel, t.strides, full, extra, rank) : viaConv(x, kernel, t, extra, rank);
  return border(
    y,
    t.crop.map(([before, after], i) => [-before, -Math.max(after - (t.outputPadding[i] ?? 0), 0)]),
  );
}

/** tfjs' conv2dTranspose with an output of F + extra (extra < s, so the shapes still agree). */
function direct(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  full: readonly number[],
  extra: readonly number[],
  rank: number,
): tf.Tensor {
  const [n] = x.shape as number[];
  const out = kernel.shape[rank] as number;
  const sizes = full.map((f, i) => f + (extra[i] ?? 0));
  if (rank === 2) {
    return tf.conv2dTranspose(
      x as tf.Tensor4D,
      kernel as tf.Tensor4D,
      [n as number, sizes[0] as number, sizes[1] as number, out],
      [strides[0] ?? 1, strides[1] ?? 1],
      'valid',
    );
  }
  const [, length, channels] = x.shape as number[];
  const y = tf.conv2dTranspose(
    tf.reshape(x, [n as number, 1, length as number, channels as number]) as tf.Tensor4D,
    tf.expandDims(kernel, 0) as tf.Tensor4D,
    [n as number, 1, sizes[0] as number, out],
    [1, strides[0] ?? 1],
    'valid',
  );
  return tf.reshape(y, [n as number, sizes[0] as number, out]);
}

function viaConv(
  x: tf.Tensor,
  kernel: tf.Tensor,
  t: TransposedSliding,
  extra: readonly number[],
  rank: number,
): tf.Tensor {
  const spatialAxes = Array.from({ length: rank }, (_, i) => i);
  const flipped = tf.reverse(kernel, spatialAxes);
  // k… × out × in/g → k… × in/g × out: group g's slice of out stays at the same place.
  const forward = tf.transpose(flipped, [...spatialAxes, rank + 1, rank]);
  const spread = insertZeros(x, t.strides);
  const padded = border(
    spread,
    t.kernel.map((k, i): [number, number] => {
      const span = (t.dilation[i] ?? 1) * (k - 1);
      return [span, span + (extra[i] ?? 0)];
    }),
  );
  return slidingConv(
    padded,
    { kernel: t.kernel, strides: t.kernel.map(() => 1), dilation: t.dilation, padding: 'valid' },
    groupedConv(forward, t.groups),
  );
}
