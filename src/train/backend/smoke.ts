import * as tf from '@tensorflow/tfjs';

/**
 * A backend's smoke test: a tiny network's loss and gradients (two convolutions, 'same' and
 * stride 2, batch norm, ReLU, a dense layer and log-softmax), computed on the current backend and
 * compared with the CPU backend's. A backend that starts but computes garbage (a driver bug, a
 * half-float texture, a missing kernel) is refused before a run trusts it.
 */

/** Largest error allowed, relative to each tensor's largest value: WebGL may compute in float16. */
export const SMOKE_TOLERANCE = 2e-3;

/** Deterministic inputs, so every backend sees the same numbers. */
function filled(shape: number[], phase: number): tf.Tensor {
  const size = shape.reduce((p, s) => p * s, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.7 + phase) * 0.5),
    shape,
  );
}

/**
 * The loss followed by the gradients of the input and every weight, flattened. Read with
 * `data()`: WebGPU cannot read synchronously inside a worker (dataSync gives zeros there).
 */
async function smokeValues(): Promise<Float32Array[]> {
  const tensors = tf.tidy(() => {
    const x = filled([2, 6, 6, 3], 0);
    const w1 = filled([3, 3, 3, 4], 1);
    const w2 = filled([3, 3, 4, 5], 2);
    const dense = filled([5, 3], 3);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
      const h = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      // With scale and offset: tfjs cannot differentiate batchNorm without them.
      const r = tf.relu(tf.batchNorm(h, mean, variance, filled([4], 4), filled([4], 5).add(1), 1e-3));
      const y = tf.conv2d(r as tf.Tensor4D, c as tf.Tensor4D, 2, 'same');
      const logits = tf.matMul(tf.mean(y, [1, 2]) as tf.Tensor2D, d as tf.Tensor2D);
      return tf
        .logSoftmax(logits)
        .mul(tf.oneHot([0, 2], 3).toFloat())
        .sum()
        .neg();
    };
    const { value, grads } = tf.valueAndGrads(f)([x, w1, w2, dense]);
    return [value, ...grads];
  });
  try {
    return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(tensors);
  }
}

/** The worst error of `actual` against `expected`, each tensor scaled by its largest value. */
function worstError(actual: Float32Array[], expected: Float32Array[]): number {
  let worst = 0;
  expected.forEach((e, t) => {
    const a = actual[t];
    if (!a || a.length !== e.length) {
      worst = Infinity;
      return;
    }
    const scale = Math.max(1e-6, ...Array.from(e, Math.abs));
    e.forEach((v, i) => {
      const d = Math.abs((a[i] as number) - v) / scale;
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    });
  });
  return worst;
}

let reference: Float32Array[] | null = null;

/** The CPU backend's numbers, computed once; leaves the CPU backend active. */
export async function cpuReference(): Promise<Float32Array[]> {
  if (!reference) {
    await tf.setBackend('cpu');
    reference = await smokeValues();
  }
  return reference;
}

/**
 * Runs the smoke test on the current backend against `expected` (see cpuReference): null when it
 * passes, else the reason for people ("gradients off by 0.31").
 */
export async function smokeTest(expected: Float32Array[]): Promise<string | null> {
  let values: Float32Array[];
  try {
    values = await smokeValues();
  } catch (e) {
    return `fails on a small convolution network: ${e instanceof Error ? e.message : String(e)}`;
  }
  const worst = worstError(values, expected);
  if (!Number.isFinite(worst)) return 'computes non-finite numbers on a small convolution network';
  if (worst > SMOKE_TOLERANCE)
    return `computes a small network's gradients off by ${worst.toPrecision(2)} of their scale (the CPU backend as reference; allowed ${SMOKE_TOLERANCE})`;
  return null;
}
