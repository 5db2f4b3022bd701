import * as tf from '@tensorflow/tfjs';

/**
 * The maximum over every spatial axis of N × …spatial × C, one value per example and channel.
 * Where several positions share the maximum, the gradient is split evenly among them, as
 * TensorFlow's reduce_max and PyTorch's amax do; tfjs 4.22's Max gradient gives the full
 * gradient to each of them, so it grows with the number of ties (zero padding and ReLU make
 * ties common).
 */
export function globalMax(x: tf.Tensor, keepdims: boolean): tf.Tensor {
  const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
  const pooled = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const kept = tf.max(input, axes, true);
    save([input, kept]);
    return {
      value: keepdims ? kept : tf.reshape(kept, [input.shape[0] as number, input.shape[input.rank - 1] as number]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, max] = saved as [tf.Tensor, tf.Tensor];
        const hits = tf.cast(tf.equal(xs, max), 'float32');
        const share = tf.div(hits, tf.sum(hits, axes, true));
        return tf.mul(share, tf.reshape(dy, max.shape));
      },
    };
  });
  return pooled(x);
}
