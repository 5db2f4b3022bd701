import * as tf from '@tensorflow/tfjs';
import { hasKernel } from '../../backend/call-kernel';
import { constant } from '../../backend/webgpu/constants';
import { markRectified } from './activation';

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
 * Where the backend has kernels for them (WASM: src/train/backend/wasm/batch-norm.ts), the
 * statistics and the gradient are one kernel each, 4 passes over the activation with the forward
 * affine map instead of 14; elsewhere they are the composite ops above. On WebGPU
 * (src/train/backend/webgpu/batch-norm.ts) the statistics kernel also makes 1/σ and the moving
 * averages, and the affine map is a kernel too: 3 dispatches in all where the composite took 28.
 */
export const BATCH_NORM_MOMENTS = 'ConvScopeBatchNormMoments';
export const BATCH_NORM_GRAD = 'ConvScopeBatchNormGrad';
/** { x, movingMean, movingVariance }, { epsilon, momentum } → [mean, variance, rstd, moving mean′, moving variance′]. */
export const BATCH_NORM_STATS = 'ConvScopeBatchNormStats';
/** { x, mean, rstd, gamma, beta } → y. */
export const BATCH_NORM_APPLY = 'ConvScopeBatchNormApply';
/**
 * { x, mean, rstd, gamma, beta } → [max(0, y), coefficients]: batch norm followed by ReLU, and
 * what its gradient reads per channel, in the backend's own packing.
 */
export const BATCH_NORM_RELU_APPLY = 'ConvScopeBatchNormReluApply';
/** { dy, out, x, coefficients } → [dx, dγ, dβ] of max(0, y), `out` = max(0, y): ReLU's mask, then batch norm's gradient. */
export const BATCH_NORM_RELU_GRAD = 'ConvScopeBatchNormReluGrad';

/** The layer's moving averages, updated from the batch's statistics (off the gradient tape). */
export interface Moving {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly momentum: number;
}

export interface BatchStats {
  /** The normalised, scaled and shifted input. */
  readonly y: tf.Tensor;
  /** The batch's mean and variance per channel (for the moving averages; no gradient). */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  /** moving − (moving − batch)·(1 − momentum) for the mean and the variance, as tfjs-layers; null without `moving`. */
  readonly moving: readonly [tf.Tensor1D, tf.Tensor1D] | null;
  /** Whether `y` is already max(0, ·) (asked for with `relu`, and the backend has the kernels). */
  readonly rectified: boolean;
}

/**
 * `relu`: the caller applies ReLU to y next and nothing else reads y. Where the backend has
 * kernels for batch norm followed by ReLU (WebGPU), y is then max(0, y) and its gradient takes
 * ReLU's mask first: the pair in the dispatches of batch norm alone. y is marked as rectified
 * (ops/activation.ts), so the ReLU after it passes it through, which is exact: max(0, ·) of a
 * non-negative value is itself, and ReLU's gradient mask is already applied here. Elsewhere y is
 * batch norm's alone and the ReLU runs as before.
 */
export function batchNormInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D | null,
  beta: tf.Tensor1D | null,
  epsilon: number,
  moving: Moving | null = null,
  relu = false,
): BatchStats {
  const channels = x.shape[x.rank - 1] as number;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const count = x.size / channels;
  const has = (name: string) => hasKernel(name);
  const fused = has(BATCH_NORM_STATS) && has(BATCH_NORM_APPLY) && has(BATCH_NORM_GRAD);
  const kernels = fused || (has(BATCH_NORM_MOMENTS) && has(BATCH_NORM_GRAD));
  const rectify = relu && fused && has(BATCH_NORM_RELU_APPLY) && has(BATCH_NORM_RELU_GRAD) && x.dtype === 'float32';
  // The statistics outside the op: tensors made inside its forward pass are freed when it ends,
  // and the moving averages need these. The tape records them, but no gradient flows through
  // them: the op's gradient below already accounts for x's part in μ and σ.
  let mean: tf.Tensor1D, variance: tf.Tensor1D;
  let rstd: tf.Tensor1D | null = null;
  let updated: [tf.Tensor1D, tf.Tensor1D] | null = null;
  let centred: tf.Tensor | null = null;
  if (fused) {
    const inputs = {
      x,
      movingMean: moving?.mean ?? tf.zeros([channels]),
      movingVariance: moving?.variance ?? tf.ones([channels]),
    };
    const attrs = { epsilon, momentum: moving?.momentum ?? 0 };
    const out = tf.engine().runKernel(BATCH_NORM_STATS, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D[];
    [mean, variance, rstd] = out as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    if (moving) updated = [out[3] as tf.Tensor1D, out[4] as tf.Tensor1D];
  } else if (kernels)
    [mean, variance] = tf.engine().runKernel(BATCH_NORM_MOMENTS, { x }, {}) as [tf.Tensor1D, tf.Tensor1D];
  else {
    mean = tf.mean(x, axes) as tf.Tensor1D;
    centred = tf.sub(x, mean);
    variance = tf.mean(tf.square(centred), axes) as tf.Tensor1D;
  }
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const r = rstd ?? tf.rsqrt(tf.add(variance, constant(epsilon)));
    const inputs = { x: input, mean, rstd: r, gamma: g, beta: b };
    if (rectify) {
      const [out, coefficients] = tf.engine().runKernel(BATCH_NORM_RELU_APPLY, inputs, {}) as [tf.Tensor, tf.Tensor];
      // The rectified output gives ReLU's mask.
      save([input, out, coefficients]);
      return {
        value: out,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [x, out, coefficients] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          return tf.engine().runKernel(BATCH_NORM_RELU_GRAD, { dy, out, x, coefficients }, {}) as tf.Tensor[];
        },
      };
    }
    // μ too: the caller's tidy (the layer's) frees it before the backward pass runs; a saved
    // tensor is kept until then (an alias on every backend, nothing copied).
    save([centred ?? input, r, g, mean]);
    return {
      value: fused
        ? (tf.engine().runKernel(BATCH_NORM_APPLY, inputs, {}) as tf.Tensor)
        : tf.batchNorm(input, mean, variance, b, g, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [c, r, scale, mu] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        // With the kernels, c is the input itself (the kernel centres it as it reads it).
        if (kernels)
          return tf
            .engine()
            .runKernel(BATCH_NORM_GRAD, { dy, x: c, mean: mu, rstd: r, gamma: scale }, {}) as tf.Tensor[];
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
  if (rectify) markRectified(y);
  if (moving && !updated) {
    const decay = constant(1 - moving.momentum);
    const average = (old: tf.Tensor1D, batch: tf.Tensor1D) =>
      tf.sub(old, tf.mul(tf.sub(old, batch), decay)) as tf.Tensor1D;
    updated = [average(moving.mean, mean), average(moving.variance, variance)];
  }
  return { y, mean, variance, moving: updated, rectified: rectify };
}
