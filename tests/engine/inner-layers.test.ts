import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findLayer, innerId, layerIds, ownerOf, splitInnerId } from '../../src/engine/analysis/inner';
import { analyze } from '../helpers';

/**
 * The layers inside ResNet blocks, as the engine analyses them from the block's real input,
 * against tfjs-layers' shape inference and parameter counts for the same sub-layers built one by
 * one (symmetric padding k//2 as ZeroPadding2D + 'valid', as PyTorch pads).
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Built = Map<string, { shape: (number | null)[]; params: number }>;

/** A basic or bottleneck block written out in tfjs layers; returns each sub-layer's shape and parameters. */
function tfjsBlock(
  input: number[],
  convs: { name: string; filters: number; kernel: number; stride: number; pad: 'sym' | 'same' | 'valid' }[],
  shortcut: 'identity' | 'B',
  outFilters: number,
  stride: number,
): Built {
  const built: Built = new Map();
  const x = tf.input({ shape: input });
  const record = (name: string, layer: tf.layers.Layer, t: tf.SymbolicTensor) => {
    const out = layer.apply(t) as tf.SymbolicTensor;
    built.set(name, { shape: out.shape.slice(1), params: layer.countParams() });
    return out;
  };
  let y = x;
  convs.forEach((c, i) => {
    const k = c.kernel;
    let z = y;
    if (c.pad === 'sym' && k > 1)
      z = tf.layers.zeroPadding2d({ padding: Math.floor(k / 2) }).apply(z) as tf.SymbolicTensor;
    const padding = c.pad === 'same' ? 'same' : 'valid';
    z = record(
      c.name,
      tf.layers.conv2d({ filters: c.filters, kernelSize: k, strides: c.stride, padding, useBias: false }),
      z,
    );
    z = record(`bn${i + 1}`, tf.layers.batchNormalization(), z);
    if (i < convs.length - 1) z = record(`relu${i + 1}`, tf.layers.reLU(), z);
    y = z;
  });
  let s = x;
  if (shortcut === 'B') {
    s = record(
      'shortcut_conv',
      tf.layers.conv2d({ filters: outFilters, kernelSize: 1, strides: stride, useBias: false }),
      s,
    );
    s = record('shortcut_bn', tf.layers.batchNormalization(), s);
  }
  const sum = tf.layers.add().apply([y, s]) as tf.SymbolicTensor;
  built.set('add', { shape: sum.shape.slice(1), params: 0 });
  return built;
}

function expectChildrenMatch(block: Record<string, unknown>, input: number[], reference: Built) {
  const a = analyze([
    { name: 'input', type: 'Input', shape: input },
    { name: 'b', ...block },
  ]);
  expect(a.ok).toBe(true);
  for (const [name, ref] of reference) {
    const ours = findLayer(a, innerId('b', name));
    expect(ours, name).toBeDefined();
    expect(ours!.output, `${name} output`).toEqual(ref.shape);
    expect(ours!.params, `${name} parameters`).toBe(ref.params);
  }
  return a;
}

describe('layers inside ResNet blocks ≡ tfjs-layers', () => {
  it('basic block, identity shortcut, 32×32×16', () => {
    const conv = (name: string) => ({ name, filters: 16, kernel: 3, stride: 1, pad: 'sym' as const });
    const a = expectChildrenMatch(
      { type: 'ResNetBasicBlock', filters: 16 },
      [32, 32, 16],
      tfjsBlock([32, 32, 16], [conv('conv1'), conv('conv2')], 'identity', 16, 1),
    );
    const conv1 = findLayer(a, 'b/conv1')!;
    // The picture's input: the block's input, 16 channels; 3×3, padding 1 on each side.
    expect(conv1.inputShapes).toEqual([[32, 32, 16]]);
    expect(conv1.geometry?.map((g) => [g.input, g.output, g.kernel, g.stride, g.padding])).toEqual([
      [32, 32, 3, 1, [1, 1]],
      [32, 32, 3, 1, [1, 1]],
    ]);
    expect(findLayer(a, 'b/conv2')!.inputShapes).toEqual([[32, 32, 16]]);
  });

  it('basic block, stride 2 with a projection (option B) shortcut, odd input 15×15×16 → 32 filters', () => {
    const a = expectChildrenMatch(
      { type: 'ResNetBasicBlock', filters: 32, strides: 2, shortcut: 'B' },
      [15, 15, 16],
      tfjsBlock(
        [15, 15, 16],
        [
          { name: 'conv1', filters: 32, kernel: 3, stride: 2, pad: 'sym' },
          { name: 'conv2', filters: 32, kernel: 3, stride: 1, pad: 'sym' },
        ],
        'B',
        32,
        2,
      ),
    );
    expect(findLayer(a, 'b/conv1')!.geometry?.[0]).toMatchObject({ input: 15, output: 8, stride: 2, padding: [1, 1] });
    expect(findLayer(a, 'b/conv2')!.inputShapes).toEqual([[8, 8, 32]]);
  });

  it("basic block with TF 'same' padding, stride 2 on 16×16×8", () => {
    expectChildrenMatch(
      { type: 'ResNetBasicBlock', filters: 8, strides: 2, padding: 'same' },
      [16, 16, 8],
      tfjsBlock(
        [16, 16, 8],
        [
          { name: 'conv1', filters: 8, kernel: 3, stride: 2, pad: 'same' },
          { name: 'conv2', filters: 8, kernel: 3, stride: 1, pad: 'same' },
        ],
        'B',
        8,
        2,
      ),
    );
  });

  it('bottleneck block, stride 2 on the 3×3 (torchvision v1.5), 28×28×256 → 128×4', () => {
    const a = expectChildrenMatch(
      { type: 'ResNetBottleneckBlock', filters: 128, strides: 2 },
      [28, 28, 256],
      tfjsBlock(
        [28, 28, 256],
        [
          { name: 'conv1', filters: 128, kernel: 1, stride: 1, pad: 'valid' },
          { name: 'conv2', filters: 128, kernel: 3, stride: 2, pad: 'sym' },
          { name: 'conv3', filters: 512, kernel: 1, stride: 1, pad: 'valid' },
        ],
        'B',
        512,
        2,
      ),
    );
    expect(findLayer(a, 'b/conv2')!.inputShapes).toEqual([[28, 28, 128]]);
    expect(findLayer(a, 'b/conv3')!.weights[0]?.pytorch.shape).toEqual([512, 128, 1, 1]);
  });
});

describe('inner-layer ids', () => {
  const a = analyze([
    { name: 'input', type: 'Input', shape: [8, 8, 4] },
    { name: 'res', type: 'ResNetBasicBlock', filters: 4 },
    { name: 'res/conv1', type: 'Conv2D', filters: 2, kernelSize: 1 },
  ]);

  it('a top-level name wins over a block path that spells the same', () => {
    expect(findLayer(a, 'res/conv1')?.spec?.type).toBe('Conv2D');
    expect(findLayer(a, 'res/conv1')?.output).toEqual([8, 8, 2]);
    expect(splitInnerId(a, 'res/conv1')).toBeNull();
    expect(findLayer(a, 'res/conv2')?.output).toEqual([8, 8, 4]);
    expect(ownerOf(a, 'res/bn2')).toBe('res');
    expect(ownerOf(a, 'res/conv1')).toBe('res/conv1');
  });

  it('the same id gives the same object, titled by its full id', () => {
    expect(findLayer(a, 'res/conv2')).toBe(findLayer(a, 'res/conv2'));
    expect(findLayer(a, 'res/conv2')?.name).toBe('res/conv2');
    expect(findLayer(a, 'res/nothing')).toBeUndefined();
    expect(findLayer(a, 'nothing/conv1')).toBeUndefined();
  });

  it('reading order lists a block’s layers after it, only where it is open', () => {
    expect(layerIds(a, () => false)).toEqual(['input', 'res', 'res/conv1']);
    expect(layerIds(a).slice(0, 4)).toEqual(['input', 'res', 'res/conv1', 'res/bn1']);
    expect(layerIds(a)).toContain('res/relu2');
  });
});
