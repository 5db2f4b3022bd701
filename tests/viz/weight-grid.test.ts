import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { LayerResult } from '../../src/engine/analysis/result';
import { layerKinds } from '../../src/engine/layers/registry';
import { presetModel, presets } from '../../src/presets';
import {
  BUDGET,
  convolutionsIn,
  depthOf,
  gridLayout,
  gridView,
  hasKernel,
  heStd,
  kernelAt,
  kernelBox,
  kernelReadout,
  kernelValues,
  summaryNote,
  valueLimit,
  weightParts,
  weightSentence,
  sentenceText,
  type WeightPart,
} from '../../src/viz/weight-grid';
import { analyze, layerOf } from '../helpers';

const only = (layer: LayerResult): WeightPart => {
  const parts = weightParts(layer);
  expect(parts).toHaveLength(1);
  return parts[0] as WeightPart;
};

/** Positions of the grid that hold a kernel, counted one by one. */
const bruteKernels = (p: WeightPart, rows = p.filters, cols = p.channels) => {
  let n = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (hasKernel(p, r, c)) n++;
  return n;
};

const mnist = analyze([
  { name: 'input', type: 'Input', shape: [28, 28, 1] },
  { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same' },
  { name: 'pool1', type: 'MaxPooling2D' },
  { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same' },
  { name: 'flatten', type: 'Flatten' },
  { name: 'fc', type: 'Dense', units: 10 },
]);

describe('the weight grid of a convolution', () => {
  it('a 5×5 convolution from 32 to 64 channels is 64 rows × 32 columns of 5×5 kernels', () => {
    const conv2 = layerOf(mnist, 'conv2');
    const p = only(conv2);
    expect([p.filters, p.channels, depthOf(p), p.kernel]).toEqual([64, 32, 32, [5, 5]]);
    const v = gridView(p);
    expect(v).toMatchObject({ rows: 64, cols: 32, summarised: false, kernelsDrawn: 64 * 32 });
    expect(summaryNote(p, v)).toBeNull();
    const s = weightSentence(p, 'pytorch');
    expect(s.params).toBe(64 * 32 * 25 + 64);
    expect(s.params).toBe(conv2.params);
    expect(s.headline).toBe('64 filters, each 32 channels deep and 5×5');
    expect(sentenceText(s)).toBe(
      '64 filters, each 32 channels deep and 5×5: weight 64×32×5×5 (PyTorch) / kernel 5×5×32×64 (Keras)' +
        ' — each filter makes one output channel. Plus bias 64: one number per filter.',
    );
    // Keras notation names its own tensor first.
    expect(weightSentence(p, 'keras').tensors).toBe('kernel 5×5×32×64 (Keras) / weight 64×32×5×5 (PyTorch)');
  });

  it('layers without kernels have no grid; the first convolution reads 1 channel', () => {
    expect(weightParts(layerOf(mnist, 'pool1'))).toEqual([]);
    expect(weightParts(layerOf(mnist, 'fc'))).toEqual([]);
    expect(weightSentence(only(layerOf(mnist, 'conv1')), 'pytorch').headline).toBe(
      '32 filters, each 1 channel deep and 5×5',
    );
  });

  it('depthwise, multiplier 2 on 3 channels: a 6×3 grid with 6 kernels on the block diagonal', () => {
    const a = analyze([
      { name: 'input', type: 'Input', shape: [8, 8, 3] },
      { name: 'dw', type: 'DepthwiseConv2D', kernelSize: 3, depthMultiplier: 2 },
    ]);
    const dw = layerOf(a, 'dw');
    const p = only(dw);
    expect([p.filters, p.channels, depthOf(p)]).toEqual([6, 3, 1]);
    const v = gridView(p);
    expect([v.rows, v.cols, v.kernelsDrawn]).toEqual([6, 3, 6]);
    // Output channels 2c and 2c+1 read input channel c, nothing else.
    for (let r = 0; r < 6; r++) for (let c = 0; c < 3; c++) expect(hasKernel(p, r, c)).toBe(Math.floor(r / 2) === c);
    const s = weightSentence(p, 'keras');
    expect(s.headline).toBe('6 filters, 2 per input channel, each 1 channel deep and 3×3');
    expect(s.tensors).toBe('depthwise_kernel 3×3×3×2 (Keras) / weight 6×1×3×3 (PyTorch)');
    expect(s.role).toContain('block diagonal');
    expect(s.params).toBe(dw.params);
    expect(kernelReadout(p, 4, 0)).toBe('filter 5, channel 1: no kernel; filter 5 reads only channel 3');
  });

  it('grouped convolution: each filter reads only its group’s channels', () => {
    const a = analyze([
      { name: 'input', type: 'Input', shape: [8, 8, 8] },
      { name: 'g', type: 'Conv2D', filters: 16, kernelSize: 3, groups: 4 },
    ]);
    const g = layerOf(a, 'g');
    const p = only(g);
    expect([p.filters, p.channels, p.groups, depthOf(p)]).toEqual([16, 8, 4, 2]);
    const [out = 0, perGroup = 0] = p.tensor.pytorch.shape;
    expect(gridView(p).kernelsDrawn).toBe(out * perGroup);
    expect(bruteKernels(p)).toBe(out * perGroup);
    expect(hasKernel(p, 5, 2)).toBe(true); // filter 6 is in group 2, which reads channels 3–4
    expect(hasKernel(p, 5, 4)).toBe(false);
    expect(weightSentence(p, 'pytorch').headline).toBe('16 filters in 4 groups, each 2 channels deep and 3×3');
    expect(kernelReadout(p, 5, 4)).toBe('filter 6, channel 5: no kernel; filter 6 reads only channels 3–4');
    expect(weightSentence(p, 'pytorch').params).toBe(g.params);
  });

  it('separable: a depthwise grid, then a 1×1 pointwise grid that holds the bias', () => {
    const a = analyze([
      { name: 'input', type: 'Input', shape: [8, 8, 4] },
      { name: 'sep', type: 'SeparableConv2D', filters: 10, kernelSize: 3, depthMultiplier: 2 },
    ]);
    const sep = layerOf(a, 'sep');
    const [dw, pw] = weightParts(sep) as [WeightPart, WeightPart];
    expect([dw.kind, dw.filters, dw.channels, dw.bias]).toEqual(['depthwise', 8, 4, null]);
    expect([pw.kind, pw.filters, pw.channels, pw.kernel]).toEqual(['pointwise', 10, 8, [1, 1]]);
    expect(weightSentence(dw, 'pytorch').params + weightSentence(pw, 'pytorch').params).toBe(sep.params);
    expect(weightSentence(pw, 'pytorch').tensors).toContain('pointwise.weight 10×8×1×1 (PyTorch)');
  });

  it('transposed: out-channel rows, but the tensor is stored input-first', () => {
    const a = analyze([
      { name: 'input', type: 'Input', shape: [8, 8, 16] },
      { name: 't', type: 'Conv2DTranspose', filters: 8, kernelSize: 3, strides: 2 },
    ]);
    const p = only(layerOf(a, 't'));
    expect([p.filters, p.channels, depthOf(p)]).toEqual([8, 16, 16]);
    const s = weightSentence(p, 'pytorch');
    expect(s.headline).toBe('8 filters, each 16 channels deep and 3×3');
    expect(s.tensors).toBe('weight 16×8×3×3 (PyTorch) / kernel 3×3×8×16 (Keras)');
    expect(s.role).toContain('input-first');
  });

  it('Conv1D kernels are 1×k strips', () => {
    const a = analyze([
      { name: 'input', type: 'Input', shape: [100, 6] },
      { name: 'c', type: 'Conv1D', filters: 12, kernelSize: 5 },
    ]);
    const p = only(layerOf(a, 'c'));
    expect(kernelBox(p.kernel)).toEqual([1, 5]);
    expect(weightSentence(p, 'pytorch').headline).toBe('12 filters, each 6 channels deep and 5 long');
    const l = gridLayout(gridView(p), 600);
    expect(l.pitchY).toBe(l.cell + l.gap);
  });

  it('every 1-D and 2-D convolution kind in the palette has a grid; Conv3D has none (the view says it draws 1-D and 2-D)', () => {
    const volume = analyze([
      { name: 'input', type: 'Input', shape: [4, 8, 8, 3] },
      { name: 'x', type: 'Conv3D', filters: 2, kernelSize: 3 },
    ]);
    expect(weightParts(layerOf(volume, 'x'))).toEqual([]);
    const convs = layerKinds.filter((k) => k.category === 'convolution' && !k.type.includes('3D'));
    expect(convs.length).toBeGreaterThan(4);
    for (const kind of convs) {
      const input = kind.type.includes('1D') ? [32, 8] : [16, 16, 8];
      const a = analyze([
        { name: 'input', type: 'Input', shape: input },
        { name: 'x', type: kind.type, ...kind.template },
      ]);
      expect(weightParts(layerOf(a, 'x')).length, kind.type).toBeGreaterThan(0);
    }
  });
});

describe('huge layers are summarised', () => {
  const resnet = analyzeModel(presetModel('resnet50'));

  it('ResNet50’s widest convolution (inside conv5_block1) draws a corner and says how much is left out', () => {
    const choices = convolutionsIn(layerOf(resnet, 'conv5_block1'));
    expect(choices.map((c) => c.path)).toContain('conv5_block1/conv3');
    const parts = choices.map((c) => weightParts(c.layer, c.path)[0] as WeightPart);
    const widest = parts.reduce((a, b) => (b.filters * b.channels > a.filters * a.channels ? b : a));
    expect(widest.filters).toBe(2048);
    const v = gridView(widest);
    expect(v.summarised).toBe(true);
    expect(v.kernelsTotal).toBe(widest.filters * widest.channels);
    expect(v.rows * v.cols).toBeLessThanOrEqual(BUDGET.positions);
    expect(summaryNote(widest, v)).toBe(
      `Showing ${v.rows} of 2,048 filters × ${v.cols} of ${widest.channels.toLocaleString('en-US')} channels: ` +
        `the whole tensor has ${(2048 * widest.channels).toLocaleString('en-US')} kernels.`,
    );
  });

  it('no convolution of any preset draws more than the budget, and the count drawn is exact', () => {
    for (const preset of presets) {
      const a = analyzeModel(presetModel(preset.id));
      for (const layer of a.layers) {
        for (const { layer: conv, path } of convolutionsIn(layer)) {
          for (const p of weightParts(conv, path)) {
            const v = gridView(p);
            expect(v.rows * v.cols, path).toBeLessThanOrEqual(BUDGET.positions);
            expect(v.kernelsDrawn * v.kernel.reduce((x, y) => x * y, 1)).toBeLessThanOrEqual(BUDGET.cells);
            expect(v.kernelsDrawn, path).toBe(bruteKernels(p, v.rows, v.cols));
            expect(v.summarised).toBe(p.filters * p.channels > BUDGET.positions || v.kernelsDrawn < v.kernelsTotal);
          }
        }
      }
    }
  });

  it('any grouped shape stays in budget and shows kernels (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 40 }),
        (groups, filtersPerGroup, channelsPerGroup, k) => {
          const p: WeightPart = {
            ...only(layerOf(mnist, 'conv2')),
            filters: groups * filtersPerGroup,
            channels: groups * channelsPerGroup,
            groups,
            kernel: [k, k],
          };
          const v = gridView(p);
          expect(v.rows * v.cols).toBeLessThanOrEqual(BUDGET.positions);
          expect(v.kernelsDrawn * v.kernel[0]! * v.kernel[1]!).toBeLessThanOrEqual(BUDGET.cells);
          expect(v.kernelsDrawn).toBeGreaterThan(0);
          expect(v.kernelsDrawn).toBe(bruteKernels(p, v.rows, v.cols));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('MobileNet’s depthwise layers keep one kernel per channel on the diagonal', () => {
    const m = analyzeModel(presetModel('mobilenet'));
    const dw = m.layers.filter((l) => l.type === 'DepthwiseConv2D');
    expect(dw.length).toBeGreaterThan(5);
    for (const layer of dw) {
      const p = only(layer);
      const v = gridView(p);
      expect(v.kernelsTotal).toBe(p.channels);
      // Drawn: the diagonal of the corner shown.
      expect(v.kernelsDrawn).toBe(Math.min(v.rows, v.cols));
    }
  });
});

describe('values and layout', () => {
  const conv2 = only(layerOf(mnist, 'conv2'));

  it('He-normal initial values: deterministic per layer name, mean 0, σ = √(2 / fan-in)', () => {
    const values = Array.from({ length: 64 * 32 }, (_, i) => kernelValues(conv2, i % 64, i >> 6)).flat();
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(heStd(conv2)).toBeCloseTo(Math.sqrt(2 / (32 * 25)), 12);
    expect(Math.abs(mean)).toBeLessThan(0.02 * std);
    expect(std / heStd(conv2)).toBeGreaterThan(0.97);
    expect(std / heStd(conv2)).toBeLessThan(1.03);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(valueLimit(conv2));
    expect(kernelValues(conv2, 11, 2)).toEqual(kernelValues({ ...conv2 }, 11, 2));
    expect(kernelValues(conv2, 11, 2)).not.toEqual(kernelValues({ ...conv2, seed: 'other:conv' }, 11, 2));
    expect(kernelValues(conv2, 11, 2)).not.toEqual(kernelValues(conv2, 11, 3));
  });

  it('reads a kernel out as numbers, row by row', () => {
    const text = kernelReadout(conv2, 11, 2);
    expect(text.startsWith('filter 12, channel 3: 5×5 weights ')).toBe(true);
    const numbers = text
      .split('weights ')[1]!
      .split(/[ /]+/)
      .map((t) => Number(t.replace('−', '-')));
    expect(numbers).toHaveLength(25);
    kernelValues(conv2, 11, 2).forEach((v, i) => expect(numbers[i]).toBeCloseTo(v, 3));
    expect(text.split(' / ')).toHaveLength(5);
  });

  it('a 64×32 grid of 5×5 kernels fits the width it is given, and points map back to kernels', () => {
    const v = gridView(conv2);
    for (const width of [500, 690, 1200]) {
      const l = gridLayout(v, width);
      expect(l.width).toBeLessThanOrEqual(width);
      expect(l.width).toBe(32 * 5 * l.cell + 31 * l.gap);
      expect(l.height).toBe(64 * 5 * l.cell + 63 * l.gap);
    }
    const l = gridLayout(v, 690);
    expect(l.cell).toBeGreaterThanOrEqual(3);
    expect(kernelAt(l, v, 2 * l.pitchX + 1, 11 * l.pitchY + 1)).toEqual({ r: 11, c: 2 });
    expect(kernelAt(l, v, l.width + l.pitchX, 0)).toBeNull();
  });
});
