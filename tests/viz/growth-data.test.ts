import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { describeGrowth, growthOf, readout, stepPoint, unitOf } from '../../src/viz/growth-data';
import { analyze } from '../helpers';

const preset = (id: string) => growthOf(analyzeModel(presetModel(id)));

/**
 * The receptive field of a plain chain of windows, computed here from the textbook recurrence
 * (Araujo, Norris & Sim, Distill 2019): r ← r + (k_eff − 1)·j, j ← j·s, with
 * k_eff = (k − 1)·d + 1. Returns the field after each window, starting with the input's (1, 1).
 */
function chain(windows: readonly { k: number; s?: number; d?: number }[]): { size: number; jump: number }[] {
  const out = [{ size: 1, jump: 1 }];
  for (const { k, s = 1, d = 1 } of windows) {
    const { size, jump } = out[out.length - 1]!;
    out.push({ size: size + ((k - 1) * d + 1 - 1) * jump, jump: jump * s });
  }
  return out;
}

describe('receptive field growth series', () => {
  it('grows by 2 per 3×3 stride-1 convolution, with a jump of 1', () => {
    const convs = Array.from({ length: 5 }, (_, i) => ({
      name: `conv${i + 1}`,
      type: 'Conv2D',
      filters: 4,
      kernelSize: 3,
      padding: 'same',
    }));
    const series = growthOf(analyze([{ name: 'input', type: 'Input', shape: [28, 28, 1] }, ...convs]));
    expect(series.points.map((p) => p.size)).toEqual([1, 3, 5, 7, 9, 11].map((r) => [r, r]));
    expect(series.points.every((p) => p.jump.every((j) => j === 1))).toBe(true);
    expect(series.axes).toEqual(['height', 'width']);
    expect(series.inputSize).toEqual([28, 28]);
    expect(series.lines).toEqual([{ axes: [0, 1], label: 'height = width' }]);
    expect(readout(series, 'conv3')).toBe('conv3: field 7×7, jump 1, input 28×28');
  });

  it("matches VGG16's published fields: conv5_3 sees 196 pixels, pool5 has a jump of 32", () => {
    const series = preset('vgg16');
    const at = (name: string) => series.points.find((p) => p.name === name)!;
    // Araujo et al. 2019 (Distill), table of networks: VGG-16 r = 212, effective stride 32 at pool5.
    // Ren et al. 2015 (Faster R-CNN) give 228 for conv5_3 plus their extra 3×3 convolution
    // (jump 16): 228 − 2·16 = 196.
    expect(at('block5_conv3').size).toEqual([196, 196]);
    expect(at('block5_pool').jump).toEqual([32, 32]);
    expect(at('block5_pool').size).toEqual([212, 212]);
    // Every point against the recurrence over VGG16's configuration D.
    const windows = [2, 2, 3, 3, 3].flatMap((convs) => [...Array<{ k: number }>(convs).fill({ k: 3 }), { k: 2, s: 2 }]);
    const expected = chain(windows);
    expect(series.points.map((p) => ({ size: p.size[0], jump: p.jump[0] }))).toEqual(expected);
    expect(series.inputSize).toEqual([224, 224]);
  });

  it('stops where the spatial positions end (Flatten) and says where', () => {
    const series = preset('mnist');
    expect(series.points.map((p) => p.name)).toEqual(['input', 'conv1', 'pool1', 'conv2', 'pool2']);
    expect(series.endsAt).toEqual({ name: 'flatten', type: 'Flatten' });
    expect(series.points.map((p) => p.size[0])).toEqual(
      chain([{ k: 5 }, { k: 2, s: 2 }, { k: 5 }, { k: 2, s: 2 }]).map((f) => f.size),
    );
    expect(describeGrowth(series, 'MNIST')).toContain('From flatten (Flatten) on, outputs have no spatial positions.');
    expect(preset('fcn').endsAt?.type).toBe('GlobalAveragePooling2D');
    expect(preset('fcn').inputSize).toEqual([null, null]);
  });

  it('follows a causal dilated Conv1D stack on one axis, in steps', () => {
    const series = preset('causal-dilated');
    expect(series.axes).toEqual(['length']);
    expect(unitOf(series)).toBe('steps');
    expect(series.inputSize).toEqual([64]);
    const expected = chain([{ k: 3, d: 1 }, { k: 3, d: 2 }, { k: 3, d: 4 }, { k: 3, d: 8 }, { k: 1 }]);
    expect(series.points.map((p) => p.size[0])).toEqual(expected.map((f) => f.size));
    expect(series.points.map((p) => p.size[0])).toEqual([1, 3, 7, 15, 31, 31]);
    expect(series.endsAt).toBeNull();
    expect(readout(series, 'conv_d8')).toBe('conv_d8: field 31, jump 1, input 64');
  });

  it('draws one point per top-level layer of a ResNet, with each block its own field', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    const series = growthOf(analysis);
    const withField = analysis.layers.filter((l) => l.receptiveField !== null).map((l) => l.name);
    expect(series.points.map((p) => p.name)).toEqual(withField);
    expect(series.points.some((p) => p.name.includes('/'))).toBe(false);
    // A basic block is two 3×3 convolutions, the first with the stage's stride.
    const stage = (s: number) => [{ k: 3, s }, { k: 3 }];
    const blocks = chain([{ k: 3 }, ...stage(1), ...stage(1), ...stage(1), ...stage(2), ...stage(1), ...stage(1)]);
    const at = (name: string) => series.points.find((p) => p.name === name)!;
    expect(at('stage1_block3').size[0]).toBe(blocks[1 + 2 * 3]!.size);
    expect(at('stage2_block1').size[0]).toBe(blocks[1 + 2 * 4]!.size);
    expect(at('stage2_block1').jump[0]).toBe(2);
    expect(at('stage2_block3').size[0]).toBe(blocks[1 + 2 * 6]!.size);
    // 32×32 CIFAR images: the field outgrows the input within stage 2.
    expect(readout(series, 'stage2_block2')).not.toContain('wider');
    expect(readout(series, 'stage2_block3')).toContain('wider than the input');
    expect(describeGrowth(series, 'ResNet-20')).toContain('first wider than the input at stage2_block3');
  });

  it('draws one line per axis when height and width differ', () => {
    const series = growthOf(
      analyze([
        { name: 'input', type: 'Input', shape: [28, 32, 1] },
        { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: [3, 5], strides: [1, 2] },
      ]),
    );
    expect(series.lines.map((l) => l.label)).toEqual(['height', 'width']);
    expect(readout(series, 'conv')).toBe('conv: field 3×5, jump 1×2, input 28×32');
  });

  it('reads the input size from channels-first shapes', () => {
    const series = growthOf(
      analyze(
        [
          { name: 'input', type: 'Input', shape: [3, 20, 40] },
          { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: 3 },
        ],
        'channels_first',
      ),
    );
    expect(series.inputSize).toEqual([20, 40]);
  });

  it('has nothing to draw when no layer keeps spatial positions', () => {
    const dense = growthOf(
      analyze([
        { name: 'input', type: 'Input', shape: [784] },
        { name: 'fc', type: 'Dense', units: 10 },
      ]),
    );
    expect(dense.points).toEqual([]);
    expect(dense.input).toBeNull();
    // A Reshape straight after the input ends the fields: only the input has one.
    const reshaped = preset('multi-feature-causal');
    expect(reshaped.points.map((p) => p.name)).toEqual(['input']);
    expect(reshaped.endsAt?.name).toBe('to_steps');
  });

  it('steps along the points, clamped at the ends', () => {
    const series = preset('mnist');
    expect(stepPoint(series, 'conv1', 1)).toBe('pool1');
    expect(stepPoint(series, 'conv1', -1)).toBe('input');
    expect(stepPoint(series, 'input', -1)).toBe('input');
    expect(stepPoint(series, 'pool2', 1)).toBe('pool2');
    expect(stepPoint(series, 'pool2', -Infinity)).toBe('input');
    // From a layer without a field (fc1), → starts at the first point and ← at the last.
    expect(stepPoint(series, 'fc1', 1)).toBe('input');
    expect(stepPoint(series, 'fc1', -1)).toBe('pool2');
  });

  it('handles a 1,000-layer model', () => {
    const layers: Record<string, unknown>[] = [{ name: 'input', type: 'Input', shape: [32, 32, 8] }];
    for (let i = 0; i < 999; i++)
      layers.push({ name: `c${i}`, type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same' });
    const series = growthOf(analyze(layers));
    expect(series.points).toHaveLength(1000);
    expect(series.points[999]!.size).toEqual([1 + 2 * 999, 1 + 2 * 999]);
  });
});
