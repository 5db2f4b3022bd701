import * as tf from '@tensorflow/tfjs';
import { hasKernel } from '../../backend/call-kernel';
import { RELU_GRAD } from '../../backend/relu-gradient';
import { markRectified } from './activation';

/** { a, b } (the same shape) → max(0, a + b): a residual sum followed by ReLU. */
export const ADD_RELU = 'ConvScopeAddRelu';

/**
 * max(0, a + b) as one op, for an Add whose only reader is a ReLU (ResNets' every block ends so),
 * where the backend has ADD_RELU and RELU_GRAD (WebGPU): one dispatch forward where the sum and
 * ReLU took two, and ReLU's gradient (out > 0 ? dy : 0, out > 0 ⇔ a + b > 0) is then the
 * gradient of both inputs, as ReLU's then Add's is. The output is marked rectified, so the ReLU
 * after it passes it through. null where the backend lacks the kernels or the shapes differ
 * (the caller then adds as before and the ReLU runs).
 */
export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor | null {
  if (!hasKernel(ADD_RELU) || !hasKernel(RELU_GRAD)) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !tf.util.arraysEqual(a.shape, b.shape)) return null;
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y] = args as [tf.Tensor, tf.Tensor];
    const save = args[2] as tf.GradSaveFunc;
    const out = tf.engine().runKernel(ADD_RELU, { a: x, b: y }, {}) as tf.Tensor;
    save([out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dx = tf.engine().runKernel(RELU_GRAD, { dy, x: saved[0] as tf.Tensor }, {}) as tf.Tensor;
        // Each input its own tensor (an alias: no copy), as the tape accumulates and frees them apart.
        return [dx, tf.clone(dx)];
      },
    };
  });
  const out = fused(a, b);
  markRectified(out);
  return out;
}
