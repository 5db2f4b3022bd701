import * as tf from '@tensorflow/tfjs';
import type { ElementwiseOp } from '../../../engine/layers/tf-op';

/**
 * TensorFlow's DepthToSpace on N × H × W × C (NHWC, "DCR"): output (i·b + di, j·b + dj, c) reads
 * input (i, j, (di·b + dj)·C/b² + c) (tf.nn.depth_to_space). Written with rank-4 reshapes and a
 * transpose, whose gradients tfjs has and which every backend runs: the rows i of width W are
 * split into b sub-rows (di), each W × (dj, c), and the sub-rows moved under their row.
 */
export function depthToSpace(x: tf.Tensor, b: number): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const rows = tf.reshape(x, [n * h, w, b, c / b]);
  return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, h * b, w * b, c / (b * b)]);
}

/** The inverse (tf.nn.space_to_depth): each b × b block becomes one position of b²·C channels, (di, dj, c). */
export function spaceToDepth(x: tf.Tensor, b: number): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const rows = tf.reshape(x, [(n * h) / b, b, w / b, b * c]);
  return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, h / b, w / b, b * b * c]);
}

/**
 * A TensorFlow element-wise op: one operand, or x and a constant, a scalar or a tensor that
 * broadcasts to x (`first`: the constant is the op's first operand, c − x rather than x − c).
 */
export function elementwise(
  x: tf.Tensor,
  op: ElementwiseOp,
  constant: number | tf.Tensor | null,
  first: boolean,
): tf.Tensor {
  const c = constant === null ? null : typeof constant === 'number' ? tf.scalar(constant) : constant;
  const binary = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => {
    if (c === null) throw new Error(`the TensorFlow op ${op} needs its constant`);
    return first ? f(c, x) : f(x, c);
  };
  switch (op) {
    case 'AddV2':
    case 'Add':
      return binary(tf.add);
    case 'Sub':
      return binary(tf.sub);
    case 'Mul':
      return binary(tf.mul);
    case 'RealDiv':
      return binary(tf.div);
    case 'Maximum':
      return binary(tf.maximum);
    case 'Minimum':
      return binary(tf.minimum);
    case 'Pow':
      return binary(tf.pow);
    case 'Square':
      return tf.square(x);
    case 'Sqrt':
      return tf.sqrt(x);
    case 'Rsqrt':
      return tf.rsqrt(x);
    case 'Neg':
      return tf.neg(x);
    case 'Abs':
      return tf.abs(x);
    case 'Exp':
      return tf.exp(x);
    case 'Log':
      return tf.log(x);
    case 'Identity':
      return x;
  }
}
