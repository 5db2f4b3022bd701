import { describe, expect, it } from 'vitest';
import { blockWeightsText, weightsText } from '../../src/ui/layers/weights-cell';
import { analyze } from '../helpers';

const layerOf = (layers: Record<string, unknown>[], name: string) => {
  const a = analyze(layers);
  const layer = a.layers.find((l) => l.name === name);
  expect(layer).toBeDefined();
  return layer!;
};

describe('weight cells say what each tensor is', () => {
  const net = [
    { type: 'Input', shape: [32, 32, 3] },
    { name: 'conv', type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same' },
    { name: 'bn', type: 'BatchNormalization' },
  ];

  it('a convolution keeps its bare shapes: kernel then bias', () => {
    const conv = layerOf(net, 'conv');
    expect(weightsText(conv.weights, 'pytorch')).toBe('16×3×3×3 · 16');
    expect(weightsText(conv.weights, 'keras')).toBe('3×3×3×16 · 16');
  });

  it('batch norm names its four vectors as each framework does', () => {
    const bn = layerOf(net, 'bn');
    expect(weightsText(bn.weights, 'pytorch')).toBe('weight 16 · bias 16 · running_mean 16 · running_var 16');
    expect(weightsText(bn.weights, 'keras')).toBe('gamma 16 · beta 16 · moving_mean 16 · moving_variance 16');
  });

  it('a ResNet basic block says which layers hold its weights', () => {
    const plain = layerOf(
      [
        { type: 'Input', shape: [32, 32, 16] },
        { name: 'block', type: 'ResNetBasicBlock', filters: 16 },
      ],
      'block',
    );
    expect(blockWeightsText(plain.children ?? [])).toBe('3×3 conv ×2 + BN ×2');
    const down = layerOf(
      [
        { type: 'Input', shape: [32, 32, 16] },
        { name: 'block', type: 'ResNetBasicBlock', filters: 32, strides: 2, shortcut: 'B' },
      ],
      'block',
    );
    expect(blockWeightsText(down.children ?? [])).toBe('3×3 conv ×2 + BN ×3 + 1×1 conv');
  });
});
