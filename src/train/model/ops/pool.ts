import * as tf from '@tensorflow/tfjs';
import { samePadding, windowOutputLength, type SidePadding } from '../../../engine/shape/conv-arithmetic';
import { border, spatialOf } from './axes';

export interface PoolWindow {
  readonly max: boolean;
  readonly size: readonly number[];
  readonly strides: readonly number[];
  /** 'same' (TensorFlow: padding never counted), 'valid', or explicit [before, after] per axis (PyTorch). */
  readonly padding: 'valid' | 'same' | readonly SidePadding[];
  /** PyTorch's ceil_mode. */
  readonly ceilMode: boolean;
}

/**
 * Max or average pooling with PyTorch's explicit padding and ceil mode, of rank 1 or 2.
 *
 * Padding and the extra positions ceil mode reads past the end are written out, then the pool
 * runs 'valid'. Max pooling pads with −∞, so padding never wins (PyTorch). Average pooling pads
 * with zeros and divides by the number of positions each window counts, as PyTorch's
 * `avg_pool2d` (count_include_pad=True) does: a window clipped at hend = min(start + k, L + p₁)
 * counts its explicit padding but not what ceil mode adds beyond it; TensorFlow's 'same' counts
 * only real positions. That count is the average of a mask (1 where counted) over the window.
 */
export function pool(x: tf.Tensor, w: PoolWindow): tf.Tensor {
  if (x.rank === 3) {
    const [n, length, channels] = x.shape as number[];
    const as2d = tf.reshape(x, [n as number, 1, length as number, channels as number]);
    const y = pool(as2d, { ...w, size: [1, ...w.size], strides: [1, ...w.strides], padding: pads1d(w.padding) });
    return tf.reshape(y, [n as number, y.shape[2] as number, channels as number]);
  }
  const lengths = spatialOf(x);
  const plan = lengths.map((l, i) => axisPlan(l, i, w));
  const sides = plan.map((p): [number, number] => [p.padding[0], p.padding[1] + p.extra]);
  const size = [w.size[0] ?? 1, w.size[1] ?? 1] as [number, number];
  const strides = [w.strides[0] ?? 1, w.strides[1] ?? 1] as [number, number];
  let y: tf.Tensor;
  if (w.max) {
    y = tf.maxPool(border(x, sides, -Infinity) as tf.Tensor4D, size, strides, 'valid');
  } else {
    y = tf.avgPool(border(x, sides) as tf.Tensor4D, size, strides, 'valid');
    const counted = plan.map((p, i): [number, number] =>
      w.padding === 'same' ? (sides[i] as [number, number]) : [0, p.extra],
    );
    if (counted.some(([a, b]) => a > 0 || b > 0)) {
      const region =
        w.padding === 'same' ? lengths : plan.map((p, i) => (lengths[i] as number) + p.padding[0] + p.padding[1]);
      const mask = border(tf.ones([1, ...region, 1]), counted);
      y = tf.div(y, tf.avgPool(mask as tf.Tensor4D, size, strides, 'valid'));
    }
  }
  const out = plan.map((p) => p.output);
  return tf.slice(y, [0, 0, 0, 0], [-1, out[0] as number, out[1] as number, -1]);
}

function axisPlan(length: number, i: number, w: PoolWindow) {
  const k = w.size[i] ?? 1;
  const s = w.strides[i] ?? 1;
  const padding: SidePadding =
    w.padding === 'valid' ? [0, 0] : w.padding === 'same' ? samePadding(length, k, s, 1) : (w.padding[i] ?? [0, 0]);
  const output = windowOutputLength(length, k, s, 1, padding, w.ceilMode);
  const extra = Math.max((output - 1) * s + k - (length + padding[0] + padding[1]), 0);
  return { padding, output, extra };
}

function pads1d(padding: PoolWindow['padding']): PoolWindow['padding'] {
  return typeof padding === 'string' ? padding : [[0, 0], padding[0] ?? [0, 0]];
}
