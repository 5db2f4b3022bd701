import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../helpers';
import { expectGradientsMatch } from './gradient-check';
import { buildExact } from './helpers';
import { tensorOf } from './reference';

/**
 * Every layer kind can train: in models holding all of them (both layouts), the gradient of a
 * loss for every trainable tensor and for the input is the loss's finite difference. This
 * catches a wrong gradient anywhere in tfjs or in our layers (it caught tfjs' UpSampling2D
 * gradient, wrong for batches of more than one, and fused ELU, which has none).
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const everything2d = (shape: number[]) => [
  { name: 'in', type: 'Input', shape },
  { name: 'dil', type: 'Conv2D', filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' },
  {
    name: 'grp',
    type: 'Conv2D',
    filters: 4,
    kernelSize: [2, 3],
    strides: 2,
    groups: 2,
    padding: [
      [1, 0],
      [1, 1],
    ],
    activation: 'gelu',
  },
  {
    name: 'dw',
    type: 'DepthwiseConv2D',
    kernelSize: 3,
    dilationRate: 2,
    depthMultiplier: 2,
    padding: 'same',
    activation: 'tanh',
  },
  { name: 'sep', type: 'SeparableConv2D', filters: 4, kernelSize: 3, padding: 'same', activation: 'swish' },
  { name: 'bn', type: 'BatchNormalization' },
  { name: 'pool', type: 'MaxPooling2D', poolSize: 3, strides: 2, padding: 1, ceilMode: true },
  { name: 'up', type: 'UpSampling2D', size: 2, interpolation: 'bilinear' },
  { name: 'near', type: 'UpSampling2D', size: [1, 2] },
  {
    name: 'tconv',
    type: 'Conv2DTranspose',
    filters: 4,
    kernelSize: 3,
    strides: 2,
    dilationRate: 2,
    groups: 2,
    padding: 1,
    outputPadding: 1,
    activation: 'softplus',
  },
  {
    name: 'keras_t',
    type: 'Conv2DTranspose',
    filters: 4,
    kernelSize: 2,
    strides: 1,
    padding: 'same',
    activation: 'sigmoid',
  },
  { name: 'blockA', type: 'ResNetBasicBlock', filters: 6, strides: 2, shortcut: 'A' },
  {
    name: 'blockB',
    type: 'ResNetBottleneckBlock',
    filters: 2,
    expansion: 4,
    strides: 2,
    shortcut: 'B',
    padding: 'same',
  },
  {
    name: 'zp',
    type: 'ZeroPadding2D',
    padding: [
      [1, 0],
      [0, 2],
    ],
  },
  {
    name: 'crop',
    type: 'Cropping2D',
    cropping: [
      [0, 1],
      [1, 0],
    ],
  },
  { name: 'avg', type: 'AveragePooling2D', poolSize: 2, strides: 1, padding: 'same' },
  { name: 'branch', type: 'Conv2D', filters: 3, kernelSize: 1, activation: 'hard_swish' },
  { name: 'cat', type: 'Concatenate', inputs: ['avg', 'branch'] },
  { name: 'short', type: 'ZeroPadShortcut', filters: 12, strides: 1 },
  { name: 'res', type: 'Conv2D', filters: 12, kernelSize: 1, activation: 'mish' },
  { name: 'add', type: 'Add', inputs: ['short', 'res'] },
  { name: 'gmp', type: 'GlobalMaxPooling2D', keepdims: true },
  { name: 'flat', type: 'Flatten' },
  { name: 'out', type: 'Dense', units: 3, activation: 'softmax' },
];

const everything1d = [
  { name: 'in', type: 'Input', shape: [20, 2] },
  {
    name: 'causal',
    type: 'Conv1D',
    filters: 4,
    kernelSize: 3,
    dilationRate: 2,
    padding: 'causal',
    activation: 'leaky_relu',
  },
  { name: 'strided', type: 'Conv1D', filters: 4, kernelSize: 3, strides: 2, dilationRate: 2, padding: 2, groups: 2 },
  { name: 'tconv', type: 'Conv1DTranspose', filters: 3, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 },
  { name: 'pool', type: 'AveragePooling1D', poolSize: 3, strides: 2, padding: 1, ceilMode: true },
  { name: 'up', type: 'UpSampling1D', size: 3 },
  { name: 'lin', type: 'UpSampling1D', size: 2, interpolation: 'bilinear' },
  { name: 'zp', type: 'ZeroPadding1D', padding: [2, 1] },
  { name: 'crop', type: 'Cropping1D', cropping: [1, 2] },
  { name: 'block', type: 'ResNetBasicBlock', filters: 4, strides: 2, shortcut: 'B' },
  { name: 'td', type: 'TimeDistributed', layer: { type: 'Dense', units: 2, activation: 'selu' } },
  { name: 'perm', type: 'Permute', dims: [2, 1] },
  { name: 'reshape', type: 'Reshape', targetShape: [-1] },
  { name: 'dense', type: 'Dense', units: 4, activation: 'hard_sigmoid' },
  { name: 'drop', type: 'Dropout', rate: 0 },
  { name: 'out', type: 'Dense', units: 2, activation: 'softsign' },
];

describe('every layer kind trains: gradients = finite differences', () => {
  it('2-D, channels last', () => expectGradientsMatch(analyze(everything2d([9, 9, 3])), [9, 9, 3]));
  it('2-D, channels first (AlexNet’s layout)', () =>
    expectGradientsMatch(analyze(everything2d([3, 9, 9]), 'channels_first'), [9, 9, 3]));
  it('1-D: causal, strided dilated and grouped, transposed, TimeDistributed, Permute, Reshape', () =>
    expectGradientsMatch(analyze(everything1d), [20, 2]));
});

describe('a training step', () => {
  it('lowers the loss of ResNet-style blocks and leaves no tensor behind', () => {
    const model = buildExact(analyze(everything2d([9, 9, 3])), { seed: 9 });
    const optimizer = tf.train.sgd(0.05);
    const x = tensorOf([4, 9, 9, 3], 1);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const step = () =>
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar;
    const first = step().dataSync()[0] as number;
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 4; i++) {
      const loss = step();
      last = loss.dataSync()[0] as number;
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    model.dispose();
  });
});
