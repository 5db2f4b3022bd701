import * as tf from '@tensorflow/tfjs';
import { samePadding } from '../../../engine/shape/conv-arithmetic';
import { border, spatialOf, subsample } from './axes';

/** How a convolution slides, per spatial axis; the padding is resolved here for the actual input. */
export interface Sliding {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: 'valid' | 'same';
}

/** A convolution with stride 1, no dilation and no padding: x is N × …spatial × C. */
export type PlainConv = (x: tf.Tensor, strides: readonly number[]) => tf.Tensor;

/**
 * Runs a convolution of any stride and dilation with operations tfjs can differentiate.
 *
 * 'same' becomes explicit padding (TensorFlow's split, the odd pixel at the end). Without
 * dilation the plain convolution runs as is. With dilation d (tfjs 4.22 has no gradient for
 * dilated conv2d or depthwiseConv2d, and refuses stride > 1 with dilation > 1), the input is
 * rearranged with spaceToBatchND so that each of the ∏d phases becomes its own batch entry; an
 * undilated convolution of a phase is the dilated convolution at that phase's positions, and
 * batchToSpaceND interleaves them back (TensorFlow's `with_space_to_batch`, Yu & Koltun 2016).
 * A stride s then keeps every s-th output of the stride-1 result: out[i] = full[i·s].
 */
export function slidingConv(x: tf.Tensor, sliding: Sliding, conv: PlainConv): tf.Tensor {
  const { kernel, strides, dilation } = sliding;
  const input =
    sliding.padding === 'same'
      ? border(
          x,
          spatialOf(x).map((l, i) => samePadding(l, kernel[i] ?? 1, strides[i] ?? 1, dilation[i] ?? 1)),
        )
      : x;
  if (dilation.every((d) => d === 1)) return conv(input, strides);
  return subsample(atrous(input, dilation, conv), strides);
}

/**
 * A dilated, stride-1, unpadded convolution through space-to-batch. Each axis of length P is
 * padded at the end to a multiple of d (e zeros); every phase r holds x[r], x[r + d], …; its
 * undilated convolution has P/d − k + 1 outputs, which interleave to P − (k − 1)·d + e, and the
 * last e are cropped.
 */
function atrous(x: tf.Tensor, dilation: readonly number[], conv: PlainConv): tf.Tensor {
  const extra = spatialOf(x).map((p, i): [number, number] => {
    const d = dilation[i] ?? 1;
    return [0, (d - (p % d)) % d];
  });
  const phases = tf.spaceToBatchND(x, [...dilation], extra);
  const y = conv(
    phases,
    dilation.map(() => 1),
  );
  return tf.batchToSpaceND(y, [...dilation], extra);
}

/** An undilated, unpadded convolution of rank 1 or 2 with `groups` groups (kernel k… × in/groups × out). */
export function groupedConv(kernel: tf.Tensor, groups: number): PlainConv {
  return (x, strides) => {
    const rank = x.rank - 2;
    if (groups === 1) return plain(x, kernel, strides, rank);
    const xs = tf.split(x, groups, -1);
    const ks = tf.split(kernel, groups, -1);
    return tf.concat(
      xs.map((part, g) => plain(part, ks[g] as tf.Tensor, strides, rank)),
      -1,
    );
  };
}

function plain(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], rank: number): tf.Tensor {
  if (rank === 1) return tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, strides[0] ?? 1, 'valid');
  return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, [strides[0] ?? 1, strides[1] ?? 1], 'valid');
}

/** An undilated, unpadded depthwise convolution (kernel kH × kW × in × multiplier). */
export function depthwiseConv(kernel: tf.Tensor): PlainConv {
  return (x, strides) =>
    tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, [strides[0] ?? 1, strides[1] ?? 1], 'valid');
}
