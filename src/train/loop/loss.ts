import * as tf from '@tensorflow/tfjs';
import { hasKernel } from '../backend/call-kernel';
import { constant } from '../backend/webgpu/constants';

/**
 * Cross-entropy with label smoothing ε, as `torch.nn.functional.cross_entropy(…, label_smoothing=ε)`:
 * targets (1 − ε)·one-hot + ε/K. From logits, or from probabilities (a model ending in softmax)
 * through log(max(p, 1e-7)), as the exported training script does.
 *
 * Where the backend has kernels for it (WebGPU: src/train/backend/webgpu/loss.ts), the loss is
 * one kernel forward and one backward, and `correct` one kernel, where the composite below took
 * about 25 dispatches; elsewhere the composite runs. There softmax's gradient (for a model that
 * ends in softmax) is one kernel too (webgpu/softmax-gradient.ts).
 */
export const CROSS_ENTROPY = 'ConvScopeCrossEntropy';
/** { dy, x, labels } → dx: the gradient of CROSS_ENTROPY's mean loss. */
export const CROSS_ENTROPY_GRAD = 'ConvScopeCrossEntropyGrad';
/** { x, labels } → how many rows' (first) largest value is at their label, a scalar. */
export const CORRECT = 'ConvScopeCorrect';

export interface CrossEntropyAttrs {
  readonly smoothing: number;
  /** x holds probabilities, whose log is log(max(x, floor)); 0: x holds scores (log-softmax). */
  readonly floor: number;
}

/** The probabilities' floor before their log, as the exported training script's. */
const FLOOR = 1e-7;

export function crossEntropy(
  output: tf.Tensor2D,
  labels: tf.Tensor1D,
  smoothing: number,
  probabilities: boolean,
): tf.Scalar {
  if (output.dtype === 'float32' && hasKernel(CROSS_ENTROPY) && hasKernel(CROSS_ENTROPY_GRAD))
    return fused(output, labels, { smoothing, floor: probabilities ? FLOOR : 0 });
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

/** The kernels' loss, with the labels read as int32 (a closure, not an input: they have no gradient). */
function fused(output: tf.Tensor2D, labels: tf.Tensor1D, attrs: CrossEntropyAttrs): tf.Scalar {
  const named = attrs as unknown as tf.NamedAttrMap;
  const ints = labels.dtype === 'int32' ? labels : labels.toInt();
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    save([x, ints]);
    return {
      value: tf.engine().runKernel(CROSS_ENTROPY, { x, labels: ints }, named) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [logits, y] = saved as [tf.Tensor, tf.Tensor];
        return tf.engine().runKernel(CROSS_ENTROPY_GRAD, { dy, x: logits, labels: y }, named) as tf.Tensor;
      },
    };
  })(output) as tf.Scalar;
  if (ints !== labels) ints.dispose();
  return loss;
}

/** How many predictions (argmax) equal the labels, as a scalar tensor (read it asynchronously). */
export function correct(output: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const ints = labels.dtype === 'int32' ? labels : labels.toInt();
    if (output.dtype === 'float32' && hasKernel(CORRECT))
      return tf.engine().runKernel(CORRECT, { x: output, labels: ints }, {}) as tf.Scalar;
    return output.argMax(1).equal(ints).sum() as tf.Scalar;
  });
}
