import * as tf from '@tensorflow/tfjs';

/**
 * Scalars a training step multiplies by (batch norm's ε, 1 − momentum and 1/N, the optimizer's
 * momentum and weight decay, label smoothing) as tensors made once per value and kept.
 *
 * tfjs turns a number operand into a new tensor on every call. On WebGPU each such tensor is
 * uploaded through a new mapped staging buffer and a copy, which also ends the compute pass:
 * about 105 uploads in a ResNet-20 step. A kept tensor is uploaded once and stays on the GPU.
 * On the other backends a number costs nothing to upload, so `constant` hands the number back and
 * nothing is kept (their tensor counts stay exactly as they were).
 */

/** Backends where a number operand costs an upload per call. */
const UPLOADING = new Set(['webgpu']);

const cache = new Map<string, tf.Scalar>();

/** `value` as an operand: on WebGPU a float32 scalar made once and kept, elsewhere the number. */
export function constant(value: number): tf.Scalar | number {
  const backend = tf.getBackend();
  if (!UPLOADING.has(backend)) return value;
  const key = `${backend} ${Object.is(value, -0) ? '-0' : String(value)}`;
  const kept = cache.get(key);
  if (kept && !kept.isDisposed) return kept;
  const made = tf.keep(tf.scalar(value, 'float32'));
  cache.set(key, made);
  return made;
}

/** How many constants are kept now (tensor-count checks on WebGPU allow for them). */
export const constantCount = () => [...cache.values()].filter((t) => !t.isDisposed).length;

/** Frees every kept constant (the next use makes it again). */
export function disposeConstants(): void {
  for (const t of cache.values()) t.dispose();
  cache.clear();
}
