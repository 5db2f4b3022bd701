import * as tf from '@tensorflow/tfjs';
import { constant } from '../../backend/webgpu/constants';

/**
 * Batch normalisation in training, channels last, as one op with its own gradient:
 *   y = γ·(x − μ)/σ + β,  μ and the variance the batch's own, per channel (biased, as Keras).
 * tfjs-layers composes it from tf.moments and tf.batchNorm, whose gradients together pass over
 * the whole activation 28 times in a training call (tiles of per-channel vectors among them).
 * The closed form below does it in 14, all per-channel or elementwise (our SIMD loops on WASM;
 * fewer dispatches on WebGPU), with σ = √(variance + ε):
 *   x̂ = (x − μ)/σ,  dβ = Σ dy,  dγ = Σ dy·x̂,  dx = (γ/σ)·(dy − x̂·dγ/N − dβ/N),
 * with sums over every axis but the channels and N the number of values each sums.
 *
 * Where the backend has kernels for them (WASM: src/train/backend/batch-norm-kernels.ts), the
 * statistics and the gradient are one kernel each, 4 passes over the activation with the forward
 * affine map instead of 14; elsewhere they are the composite ops above.
 */
export const BATCH_NORM_MOMENTS = 'ConvScopeBatchNormMoments';
export const BATCH_NORM_GRAD = 'ConvScopeBatchNormGrad';

export interface BatchStats {
  /** The normalised, scaled and shifted input. */
  readonly y: tf.Tensor;
  /** The batch's mean and variance per channel (for the moving averages; no gradient). */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

export function batchNormInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D | null,
  beta: tf.Tensor1D | null,
  epsilon: number,
): BatchStats {
  const channels = x.shape[x.rank - 1] as number;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const count = x.size / channels;
  const backend = tf.getBackend();
  const kernels = Boolean(tf.getKernel(BATCH_NORM_MOMENTS, backend) && tf.getKernel(BATCH_NORM_GRAD, backend));
  // The statistics outside the op: tensors made inside its forward pass are freed when it ends,
  // and the moving averages need these. The tape records them, but no gradient flows through
  // them: the op's gradient below already accounts for x's part in μ and σ.
  let mean: tf.Tensor1D, variance: tf.Tensor1D;
  let centred: tf.Tensor | null = null;
  if (kernels) [mean, variance] = tf.engine().runKernel(BATCH_NORM_MOMENTS, { x }, {}) as [tf.Tensor1D, tf.Tensor1D];
  else {
    mean = tf.mean(x, axes) as tf.Tensor1D;
    centred = tf.sub(x, mean);
    variance = tf.mean(tf.square(centred), axes) as tf.Tensor1D;
  }
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const rstd = tf.rsqrt(tf.add(variance, constant(epsilon)));
    save([centred ?? input, rstd, g]);
    return {
      value: tf.batchNorm(input, mean, variance, b, g, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [c, r, scale] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        // With the kernels, c is the input itself (the kernel centres it as it reads it).
        if (kernels)
          return tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x: c, mean, rstd: r, gamma: scale }, {}) as tf.Tensor[];
        const xHat = tf.mul(c, r);
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xHat), axes);
        const centredDy = tf.sub(
          tf.sub(dy, tf.mul(xHat, tf.div(dGamma, constant(count)))),
          tf.div(dBeta, constant(count)),
        );
        return [tf.mul(centredDy, tf.mul(scale, r)), dGamma, dBeta];
      },
    };
  });
  const y = normalise(x, gamma ?? tf.ones([channels]), beta ?? tf.zeros([channels]));
  return { y, mean, variance };
}
