import * as tf from '@tensorflow/tfjs';
import { fuseRelu } from '../../../src/train/model/fuse';
import { add } from '../../../src/train/model/layers/add-layer';
import { batchNormalization } from '../../../src/train/model/layers/batch-norm-layer';
import { ConvScopeActivation } from '../../../src/train/model/layers/simple-layers';
import { randomValues } from '../backend/compare';

/**
 * Models with batch norm followed by ReLU, for fuse.test.ts and the WebGPU kernels' test.
 *
 * An engine model with batch norm read only by a ReLU (fused: 'bn', and the block's 'bn1'), the
 * block's Add read only by its ReLU (fused), batch norm read by a ReLU and an Add (not fused:
 * 'bn2'), a block's batch norm read by its Add, and an Add read by a pooling layer (not fused).
 */
export const FUSE_LAYERS = [
  { name: 'in', type: 'Input', shape: [6, 5, 3] },
  { name: 'conv', type: 'Conv2D', filters: 7, kernelSize: 3, padding: 'same' },
  { name: 'bn', type: 'BatchNormalization' },
  { name: 'relu', type: 'Activation', activation: 'relu' },
  { name: 'block', type: 'ResNetBasicBlock', filters: 7 },
  { name: 'bn2', type: 'BatchNormalization' },
  { name: 'r2', type: 'Activation', activation: 'relu' },
  { name: 'add', type: 'Add', inputs: ['bn2', 'r2'] },
  { name: 'gap', type: 'GlobalAveragePooling2D' },
  { name: 'out', type: 'Dense', units: 3 },
];

/**
 * conv → BN → ReLU → conv → BN → ReLU → (+ the first ReLU) → ReLU → global average → dense, with
 * `channels` channels, seeded weights: 'fused' (our batch norm and Add, the three pairs with
 * ReLU fused), 'ours' (ours, not fused), 'tfjs' (tfjs-layers' BatchNormalization and Add: the
 * independent reference).
 */
let made = 0;

export function bnReluModel(
  kind: 'fused' | 'ours' | 'tfjs',
  shape: readonly number[],
  channels: number,
  seed: number,
): tf.LayersModel {
  const bn = () => (kind === 'tfjs' ? tf.layers.batchNormalization({}) : batchNormalization({}));
  const relu = () => new ConvScopeActivation({ name: `relu_${(made += 1)}`, activation: 'relu', alpha: null });
  const conv = (s: number) =>
    tf.layers.conv2d({
      filters: channels,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: tf.initializers.heNormal({ seed: s }),
    });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(x) as tf.SymbolicTensor;
  const x = tf.input({ shape: [...shape] });
  const a = apply(relu(), apply(bn(), apply(conv(seed), x)));
  const b = apply(relu(), apply(bn(), apply(conv(seed + 1), a)));
  const sum = apply(relu(), apply(kind === 'tfjs' ? tf.layers.add() : add({}), [a, b]));
  const out = apply(
    tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    apply(tf.layers.globalAveragePooling2d({}), sum),
  );
  const model = tf.model({ inputs: x, outputs: out });
  if (kind === 'fused' && fuseRelu(model) !== 3) throw new Error('expected the three pairs fused');
  // γ, β and the moving statistics away from 1 and 0, as after some training.
  const values = model.weights.map((w, i) =>
    tf.tidy(() => {
      const name = w.originalName;
      if (!/gamma|beta|moving/.test(name)) return w.read().clone();
      const v = tf.tensor(randomValues(tf.util.sizeFromShape(w.shape as number[]), seed + 10 + i), w.shape as number[]);
      return /gamma|variance/.test(name) ? v.abs().add(0.5) : v;
    }),
  );
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

/**
 * One training call of `model` on a seeded batch of `batch`: the loss, every trainable weight's
 * gradient, then every weight after the call (the moving statistics updated), as tensors.
 */
export function trainingCall(model: tf.LayersModel, batch: number, seed: number): tf.Tensor[] {
  return tf.tidy(() => {
    const shape = [batch, ...(model.inputs[0]?.shape.slice(1) as number[])];
    const size = shape.reduce((p, s) => p * s, 1);
    const x = tf.tensor(randomValues(size, seed), shape).mul(2);
    const r = tf.tensor(randomValues(batch * 3, seed + 1), [batch, 3]);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar,
      variables,
    );
    return [value, ...variables.map((v) => grads[v.name] as tf.Tensor), ...model.getWeights().map((w) => w.clone())];
  });
}
