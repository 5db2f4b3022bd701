import * as tf from '@tensorflow/tfjs';

/** Gradients of ours, by kernel: the backends each is used on. */
const overridden = new Map<string, Set<string>>();

/** A gradient of ours; null hands the case back to tfjs' own. */
type GradFunc = (
  dy: tf.Tensor | tf.Tensor[],
  saved: tf.Tensor[],
  attrs: tf.NamedAttrMap,
) => Record<string, () => tf.Tensor> | null;

/**
 * Makes `gradFunc` the gradient of `kernelName` on `backend`. tfjs keeps one gradient per kernel
 * for every backend, so ours wraps tfjs' own, which every other backend (and any case `gradFunc`
 * returns null for) keeps: `inputsToSave` and `outputsToSave` must be tfjs' own (its gradient reads them too).
 * Safe to repeat; later calls add backends to the first's gradient.
 */
export function overrideGradient(
  kernelName: string,
  backend: string,
  inputsToSave: string[],
  gradFunc: GradFunc,
  outputsToSave?: boolean[],
): void {
  const known = overridden.get(kernelName);
  if (known) {
    known.add(backend);
    return;
  }
  const original = tf.getGradient(kernelName);
  if (!original) throw new Error(`tfjs has no gradient for ${kernelName} to keep for other backends`);
  const backends = new Set([backend]);
  overridden.set(kernelName, backends);
  tf.registerGradient({
    kernelName,
    inputsToSave,
    ...(outputsToSave ? { outputsToSave } : {}),
    gradFunc: (dy, saved, attrs) =>
      (backends.has(tf.getBackend()) ? gradFunc(dy, saved, attrs) : null) ?? original.gradFunc(dy, saved, attrs),
  });
}
