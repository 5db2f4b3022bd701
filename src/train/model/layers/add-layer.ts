import * as tf from '@tensorflow/tfjs';
import { addRelu } from '../ops/add-relu';
import { canFuseRelu, followedByRelu } from './relu-fusion';

type Args = NonNullable<Parameters<typeof tf.layers.add>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/**
 * tfjs-layers' Add, unchanged in its config and saved form, whose training pass applies the ReLU
 * that alone reads it (fuse.ts) where the backend can, as one op (ops/add-relu.ts). Inference,
 * and sums of more than two or of different shapes, stay the package's.
 */
export function add(args: Args): tf.layers.Layer {
  const layer = tf.layers.add(args);
  canFuseRelu(layer);
  const packaged = layer.call.bind(layer);
  layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => {
    const [a, b, ...more] = Array.isArray(inputs) ? inputs : [inputs];
    if (!kwargs['training'] || !followedByRelu(layer) || !a || !b || more.length > 0) return packaged(inputs, kwargs);
    return addRelu(a, b) ?? packaged(inputs, kwargs);
  };
  return layer;
}
