import { describe, expect, it } from 'vitest';
import { shapeIn, weightIn } from '../../src/engine/notation';
import { analyze, layerOf } from '../helpers';

const weights = (layer: { weights: readonly Parameters<typeof weightIn>[0][] }, notation: 'pytorch' | 'keras') =>
  layer.weights.map((w) => weightIn(w, notation));

describe('weight tensors in both notations', () => {
  const mnist = analyze([
    { name: 'input', type: 'Input', shape: [28, 28, 1] },
    { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same' },
    { name: 'pool1', type: 'MaxPooling2D' },
    { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same' },
    { name: 'pool2', type: 'MaxPooling2D' },
    { name: 'flatten', type: 'Flatten' },
    { name: 'fc', type: 'Dense', units: 1024 },
  ]);

  it('a 5×5 convolution from 32 to 64 channels has a 64×32×5×5 kernel (PyTorch) = 5×5×32×64 (Keras)', () => {
    const conv2 = layerOf(mnist, 'conv2');
    expect(weights(conv2, 'pytorch')).toEqual([
      { name: 'weight', shape: [64, 32, 5, 5] },
      { name: 'bias', shape: [64] },
    ]);
    expect(weights(conv2, 'keras')).toEqual([
      { name: 'kernel', shape: [5, 5, 32, 64] },
      { name: 'bias', shape: [64] },
    ]);
    expect(conv2.params).toBe(64 * 32 * 25 + 64);
    expect(conv2.macs).toBe(14 * 14 * 64 * 32 * 25);
  });

  it('dense: Keras in × units, PyTorch units × in', () => {
    const fc = layerOf(mnist, 'fc');
    expect(weights(fc, 'keras')[0]).toEqual({ name: 'kernel', shape: [3136, 1024] });
    expect(weights(fc, 'pytorch')[0]).toEqual({ name: 'weight', shape: [1024, 3136] });
    expect(fc.macs).toBe(3136 * 1024);
  });

  it('activation shapes: N×C×H×W in PyTorch notation, N×H×W×C in Keras', () => {
    const out = layerOf(mnist, 'conv1').output ?? [];
    expect(shapeIn(out, 'channels_last', 'pytorch')).toEqual([32, 28, 28]);
    expect(shapeIn(out, 'channels_last', 'keras')).toEqual([28, 28, 32]);
    expect(shapeIn([3136], 'channels_last', 'pytorch')).toEqual([3136]);
  });

  it('grouped convolution: out × in/groups × k × k', () => {
    const a = analyze([
      { type: 'Input', shape: [16, 16, 8] },
      { name: 'g', type: 'Conv2D', filters: 12, kernelSize: 3, groups: 4, useBias: false },
    ]);
    expect(weights(layerOf(a, 'g'), 'pytorch')).toEqual([{ name: 'weight', shape: [12, 2, 3, 3] }]);
    expect(layerOf(a, 'g').macs).toBe(14 * 14 * 12 * 2 * 9);
  });

  it('depthwise and separable convolutions', () => {
    const a = analyze([
      { type: 'Input', shape: [8, 8, 3] },
      { name: 'dw', type: 'DepthwiseConv2D', kernelSize: 3, depthMultiplier: 2, padding: 'same' },
      { name: 'sep', type: 'SeparableConv2D', filters: 10, kernelSize: 3, padding: 'same' },
    ]);
    expect(weights(layerOf(a, 'dw'), 'keras')).toEqual([
      { name: 'depthwise_kernel', shape: [3, 3, 3, 2] },
      { name: 'bias', shape: [6] },
    ]);
    expect(weights(layerOf(a, 'dw'), 'pytorch')[0]).toEqual({ name: 'weight', shape: [6, 1, 3, 3] });
    expect(weights(layerOf(a, 'sep'), 'keras')).toEqual([
      { name: 'depthwise_kernel', shape: [3, 3, 6, 1] },
      { name: 'pointwise_kernel', shape: [1, 1, 6, 10] },
      { name: 'bias', shape: [10] },
    ]);
    expect(layerOf(a, 'sep').params).toBe(54 + 60 + 10);
    expect(layerOf(a, 'sep').macs).toBe(64 * (6 * 9 + 6 * 10));
  });

  it('transposed convolution: Keras k×k×out×in, PyTorch in×out×k×k', () => {
    const a = analyze([
      { type: 'Input', shape: [8, 8, 16] },
      { name: 'up', type: 'Conv2DTranspose', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
    ]);
    expect(weights(layerOf(a, 'up'), 'keras')[0]).toEqual({ name: 'kernel', shape: [3, 3, 4, 16] });
    expect(weights(layerOf(a, 'up'), 'pytorch')[0]).toEqual({ name: 'weight', shape: [16, 4, 3, 3] });
    expect(layerOf(a, 'up').output).toEqual([16, 16, 4]);
    expect(layerOf(a, 'up').macs).toBe(64 * 16 * 4 * 9);
  });

  it('batch norm: 4 numbers per channel, 2 trained (γ, β) and 2 running statistics', () => {
    const a = analyze([
      { type: 'Input', shape: [8, 8, 16] },
      { name: 'bn', type: 'BatchNormalization' },
    ]);
    const bn = layerOf(a, 'bn');
    expect([bn.params, bn.trainableParams, bn.nonTrainableParams]).toEqual([64, 32, 32]);
    expect(weights(bn, 'pytorch').map((w) => w.name)).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
    expect(weights(bn, 'keras').map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
  });

  it('channels_first models normalise their channel axis by default', () => {
    const a = analyze(
      [
        { type: 'Input', shape: [16, 8, 8] },
        { name: 'bn', type: 'BatchNormalization' },
      ],
      'channels_first',
    );
    expect(layerOf(a, 'bn').params).toBe(64);
  });

  it('a block lists its layers’ weights under their names', () => {
    const a = analyze([
      { type: 'Input', shape: [32, 32, 16] },
      { name: 'block', type: 'ResNetBasicBlock', filters: 32, strides: 2, shortcut: 'B' },
    ]);
    const block = layerOf(a, 'block');
    expect(weights(block, 'pytorch').map((w) => `${w.name} ${w.shape.join('×')}`)).toContain('conv1.weight 32×16×3×3');
    expect(weights(block, 'keras').map((w) => w.name)).toContain('shortcut_conv/kernel');
    expect(block.output).toEqual([16, 16, 32]);
    expect(block.children?.map((c) => c.name)).toEqual([
      'conv1',
      'bn1',
      'relu1',
      'conv2',
      'bn2',
      'shortcut_conv',
      'shortcut_bn',
      'add',
      'relu2',
    ]);
  });
});
