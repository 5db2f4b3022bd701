import * as tf from '@tensorflow/tfjs';
import { batchNormInTraining } from '../ops/batch-norm';
import { canFuseRelu, followedByRelu } from './relu-fusion';

type Args = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** The fields of tfjs-layers' BatchNormalization that training reads (private in its types). */
interface BatchNormFields {
  readonly axis: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly gamma?: tf.LayerVariable | null;
  readonly beta?: tf.LayerVariable | null;
  readonly movingMean: tf.LayerVariable;
  readonly movingVariance: tf.LayerVariable;
}

/**
 * tfjs-layers' BatchNormalization, unchanged in its weights, config and saved form (a downloaded
 * model loads in plain TensorFlow.js), whose training pass over channels-last input goes through
 * batchNormInTraining: the same numbers and moving averages, a fraction of the kernels. Inference,
 * and normalisation over another axis, stay the package's. A frozen one (`trainable` false) runs
 * in inference mode even while training, as Keras' frozen BatchNormalization does since TF 2.0,
 * so its moving statistics stay as they are. Followed by ReLU alone (fuse.ts), its training pass
 * may apply the ReLU itself (batchNormInTraining's `relu`).
 */
export function batchNormalization(args: Args): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(args);
  canFuseRelu(layer);
  const fields = layer as unknown as BatchNormFields;
  const packaged = layer.call.bind(layer);
  layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => {
    if (!layer.trainable) return packaged(inputs, { ...kwargs, training: false });
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const axis = fields.axis < 0 ? fields.axis + x.rank : fields.axis;
    if (!kwargs['training'] || axis !== x.rank - 1) return packaged(inputs, kwargs);
    return tf.tidy(() => {
      const gamma = (fields.gamma?.read() ?? null) as tf.Tensor1D | null;
      const beta = (fields.beta?.read() ?? null) as tf.Tensor1D | null;
      const moving = {
        mean: fields.movingMean.read() as tf.Tensor1D,
        variance: fields.movingVariance.read() as tf.Tensor1D,
        momentum: fields.momentum,
      };
      // The moving averages as the package updates them: moving − (moving − batch)·(1 − momentum).
      const relu = followedByRelu(layer);
      const { y, moving: updated } = batchNormInTraining(x, gamma, beta, fields.epsilon, moving, relu);
      const [mean, variance] = updated as [tf.Tensor1D, tf.Tensor1D];
      fields.movingMean.write(mean);
      fields.movingVariance.write(variance);
      return y;
    });
  };
  return layer;
}
