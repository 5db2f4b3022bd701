import * as tf from '@tensorflow/tfjs';
import { constant } from '../backend/webgpu/constants';

/**
 * Cross-entropy with label smoothing ε, as `torch.nn.functional.cross_entropy(…, label_smoothing=ε)`:
 * targets (1 − ε)·one-hot + ε/K. From logits, or from probabilities (a model ending in softmax)
 * through log(max(p, 1e-7)), as the exported training script does.
 */
export function crossEntropy(
  output: tf.Tensor2D,
  labels: tf.Tensor1D,
  smoothing: number,
  probabilities: boolean,
): tf.Scalar {
  return tf.tidy(() => {
    const classes = output.shape[1];
    const targets = tf
      .oneHot(labels, classes)
      .toFloat()
      .mul(constant(1 - smoothing))
      .add(constant(smoothing / classes));
    const logP = probabilities ? output.maximum(constant(1e-7)).log() : tf.logSoftmax(output);
    return targets.mul(logP).sum(1).neg().mean() as tf.Scalar;
  });
}

/** How many predictions (argmax) equal the labels, as a scalar tensor (read it asynchronously). */
export function correct(output: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => output.argMax(1).equal(labels.toInt()).sum() as tf.Scalar);
}
