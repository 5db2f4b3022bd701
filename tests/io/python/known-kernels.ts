import * as tf from '@tensorflow/tfjs';
import { tfjsWeights, type LayerWeights } from './keras-files';

/** The value a test kernel holds for filter f, input channel c and tap (y, x): readable in any read-out. */
export const known = (f: number, c: number, y: number, x: number) => f * 1000 + c * 100 + y * 10 + x;

type Kind = 'conv' | 'depthwise' | 'transposed';

/**
 * A Keras kernel of `shape` (C order, as h5py writes a numpy array) holding `known` values, laid
 * out as Keras' layers build them: Conv k… × in × out, DepthwiseConv2D k… × in × multiplier
 * (output channel in·multiplier + m), Conv2DTranspose k… × out × in.
 */
export function kerasKernel(kind: Kind, shape: readonly number[]): number[] {
  const taps = shape.slice(0, -2);
  const [a = 1, b = 1] = shape.slice(-2);
  const kw = taps[taps.length - 1] ?? 1;
  const tapCount = taps.reduce((p, q) => p * q, 1);
  const values: number[] = [];
  for (let t = 0; t < tapCount; t++) {
    const y = taps.length === 1 ? 0 : Math.floor(t / kw);
    const x = t % kw;
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) {
        if (kind === 'conv') values.push(known(j, i, y, x));
        else if (kind === 'depthwise') values.push(known(i * b + j, i, y, x));
        else values.push(known(i, j, y, x));
      }
    }
  }
  return values;
}

function kindOf(className: string, weight: string): Kind | null {
  if (weight.endsWith('/depthwise_kernel:0')) return 'depthwise';
  if (weight.endsWith('/pointwise_kernel:0')) return 'conv';
  if (!weight.endsWith('/kernel:0') || !className.includes('Conv')) return null;
  return className.includes('Transpose') ? 'transposed' : 'conv';
}

/** A model's weights as tfjs holds them, every convolution kernel replaced by `kerasKernel`'s known values. */
export function knownWeights(model: tf.LayersModel): LayerWeights[] {
  return tfjsWeights(model).map((layer) => ({
    ...layer,
    weights: layer.weights.map((w) => {
      const kind = kindOf(layer.className, w.name);
      return kind ? { ...w, values: kerasKernel(kind, w.shape) } : w;
    }),
  }));
}

/** Conv2D, DepthwiseConv2D (multiplier 2), SeparableConv2D and Conv2DTranspose on 6×6×3. */
export function knownCnn(): tf.LayersModel {
  const model = tf.sequential({ name: 'known_cnn' });
  model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [6, 6, 3], filters: 4, kernelSize: 3, padding: 'same' }));
  model.add(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: [3, 2], depthMultiplier: 2, padding: 'same' }));
  model.add(tf.layers.separableConv2d({ name: 'sep', filters: 5, kernelSize: 2, padding: 'same' }));
  model.add(tf.layers.conv2dTranspose({ name: 'up', filters: 2, kernelSize: [2, 3] }));
  return model;
}

/** A Conv1D on 10 steps × 3 channels. */
export function knownConv1d(): tf.LayersModel {
  const model = tf.sequential({ name: 'known_seq' });
  model.add(tf.layers.conv1d({ name: 'c1', inputShape: [10, 3], filters: 4, kernelSize: 5 }));
  return model;
}

/** Keras 2's model_config: `model.to_json()`, as tfjs-layers writes it. */
export function keras2Config(model: tf.LayersModel) {
  const { class_name, config } = model.toJSON(null, false) as unknown as { class_name: string; config: unknown };
  return { class_name, config };
}
