import * as tf from '@tensorflow/tfjs';
import { batchNormInTraining } from '../ops/batch-norm';

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

/** Our batch-norm layers, and those of them whose output only a ReLU reads (see fuseFollowingRelu). */
const ours = new WeakSet<tf.layers.Layer>();
const followedByRelu = new WeakSet<tf.layers.Layer>();

/** Whether `layer` was made by batchNormalization below. */
export const isOurBatchNorm = (layer: tf.layers.Layer): boolean => ours.has(layer);

/**
 * Tells our batch-norm `layer` that a ReLU is the only reader of its output: in training it may
 * then hand over max(0, y) (batchNormInTraining's `relu`), which the ReLU passes through. Only
 * the training pass changes; weights, names, config and inference stay as they are.
 */
export function fuseFollowingRelu(layer: tf.layers.Layer): void {
  if (!ours.has(layer)) throw new Error(`${layer.name} is not ConvScope's batch normalisation`);
  followedByRelu.add(layer);
}

/**
 * tfjs-layers' BatchNormalization, unchanged in its weights, config and saved form (a downloaded
 * model loads in plain TensorFlow.js), whose training pass over channels-last input goes through
 * batchNormInTraining: the same numbers and moving averages, a fraction of the kernels. Inference,
 * and normalisation over another axis, stay the package's. A frozen one (`trainable` false) runs
 * in inference mode even while training, as Keras' frozen BatchNormalization does since TF 2.0,
 * so its moving statistics stay as they are.
 */
export function batchNormalization(args: Args): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(args);
  ours.add(layer);
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
      const relu = followedByRelu.has(layer);
      const { y, moving: updated } = batchNormInTraining(x, gamma, beta, fields.epsilon, moving, relu);
      const [mean, variance] = updated as [tf.Tensor1D, tf.Tensor1D];
      fields.movingMean.write(mean);
      fields.movingVariance.write(variance);
      return y;
    });
  };
  return layer;
}
