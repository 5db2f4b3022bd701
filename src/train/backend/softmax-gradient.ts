import * as tf from '@tensorflow/tfjs';
import { overrideGradient } from './gradient-override';

/**
 * Softmax's gradient over the last axis in one pass, for a model that ends in softmax (the loss
 * reads its probabilities): tfjs-core's is y·dy − Σ(y·dy)·y in four kernels (a product, a sum, a
 * product, a difference). On the backends this is registered for, `ConvScopeSoftmaxGrad`
 * computes the same per row (WebGPU: webgpu/loss.ts); elsewhere, and over another axis, tfjs'
 * own gradient stays.
 */
export const SOFTMAX_GRAD = 'ConvScopeSoftmaxGrad';

/** Makes softmax's gradient the one-pass kernel on `backend` (which must register SOFTMAX_GRAD). Safe to repeat. */
export function registerSoftmaxGradient(backend: string): void {
  overrideGradient(
    'Softmax',
    backend,
    [],
    (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const dim = (attrs as { dim?: number }).dim ?? -1;
      if (y.dtype !== 'float32' || (dim !== -1 && dim !== y.rank - 1)) return null;
      return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD, { dy: dy as tf.Tensor, y }, {}) as tf.Tensor };
    },
    [true],
  );
}
