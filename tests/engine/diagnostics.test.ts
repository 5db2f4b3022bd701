import { describe, expect, it } from 'vitest';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { notationOf, type Notation } from '../../src/engine/notation';
import { analyze } from '../helpers';

/** The one diagnostic of a model, with its message written in `notation` (the model's own by default). */
const only = (layers: Record<string, unknown>[], format?: 'channels_last' | 'channels_first', notation?: Notation) => {
  const a = analyze(layers, format);
  expect(a.diagnostics).toHaveLength(1);
  const d = a.diagnostics[0]!;
  return { ...d, message: diagnosticText(d, a.model.dataFormat, notation ?? notationOf(a.model.dataFormat)) };
};

describe('diagnostics: located, explained, with the fix', () => {
  it('an output size ≤ 0 says which layer, which axis and by how much', () => {
    const d = only([
      { type: 'Input', shape: [28, 28, 1] },
      { type: 'Conv2D', filters: 8, kernelSize: 5 },
      { type: 'MaxPooling2D' },
      { type: 'Conv2D', filters: 8, kernelSize: 5 },
      { type: 'MaxPooling2D' },
      { name: 'conv3', type: 'Conv2D', filters: 8, kernelSize: 7 },
      { type: 'Flatten' },
      { type: 'Dense', units: 10 },
    ]);
    expect(d).toMatchObject({ layer: 'conv3', severity: 'error', code: 'output-too-small' });
    expect(d.message).toContain('Output height would be -2');
    expect(d.message).toContain('3 too few');
    expect(d.message).toContain("'same' padding");
  });

  it('the dilated span counts: kernel 3 with dilation 8 spans 17', () => {
    const d = only([
      { type: 'Input', shape: [12, 1] },
      { name: 'wide', type: 'Conv1D', filters: 1, kernelSize: 3, dilationRate: 8 },
    ]);
    expect(d.message).toContain('spans 17 (kernel 3 with dilation 8)');
  });

  it('Add of mismatched shapes points to the two shortcut fixes', () => {
    const d = only([
      { name: 'in', type: 'Input', shape: [32, 32, 16] },
      { name: 'main', type: 'Conv2D', filters: 32, kernelSize: 3, strides: 2, padding: 'same' },
      { name: 'add', type: 'Add', inputs: ['main', 'in'] },
    ]);
    expect(d).toMatchObject({ layer: 'add', code: 'merge-mismatch' });
    expect(d.message).toContain("'main' gives 16×16×32 and 'in' gives 32×32×16");
    expect(d.message).toContain('1×1 convolution with stride 2 and 32 filters');
    expect(d.message).toContain('zero-pad its channels to 32');
  });

  it('the same Add error written in PyTorch notation puts the channels first, as the rows do', () => {
    const d = only(
      [
        { name: 'in', type: 'Input', shape: [32, 32, 16] },
        { name: 'main', type: 'Conv2D', filters: 32, kernelSize: 3, strides: 2, padding: 'same' },
        { name: 'add', type: 'Add', inputs: ['main', 'in'] },
      ],
      'channels_last',
      'pytorch',
    );
    expect(d.message).toContain("'main' gives 32×16×16 and 'in' gives 16×32×32");
  });

  it('Flatten → Dense on an image of any size explains the lhs/rhs error and points to global pooling', () => {
    const d = only([
      { type: 'Input', shape: [null, null, 3] },
      { type: 'Conv2D', filters: 8, kernelSize: 3 },
      { type: 'Flatten' },
      { name: 'classifier', type: 'Dense', units: 10 },
    ]);
    expect(d).toMatchObject({ layer: 'classifier', code: 'dense-unknown-input' });
    expect(d.message).toContain('lhs shape= [4608,1024] rhs shape= [2048,1024]');
    expect(d.message).toContain('GlobalAveragePooling2D');
    expect(d.message).toContain('1×1 convolution head');
  });

  it('a fully convolutional net accepts any image size without complaint', () => {
    const a = analyze([
      { type: 'Input', shape: [null, null, 3] },
      { type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same' },
      { type: 'Conv2D', filters: 10, kernelSize: 1 },
      { type: 'GlobalAveragePooling2D' },
    ]);
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.at(-1)?.output).toEqual([10]);
    expect(a.totals.macs).toBeNull();
  });

  it('a Reshape that swaps steps and features warns and suggests Permute; a flatten-like one does not', () => {
    const d = only([
      { type: 'Input', shape: [10, 3] },
      { name: 'swap', type: 'Reshape', targetShape: [3, 10] },
    ]);
    expect(d).toMatchObject({ layer: 'swap', severity: 'warning', code: 'reshape-not-permute' });
    expect(d.message).toContain('use Permute');
    expect(
      analyze([
        { type: 'Input', shape: [28, 28, 1] },
        { type: 'Reshape', targetShape: [784] },
        { type: 'Reshape', targetShape: [28, 28] },
        { type: 'Reshape', targetShape: [4, 7, 28] },
      ]).diagnostics,
    ).toEqual([]);
  });

  it('a Reshape that changes the element count is an error with both counts', () => {
    const d = only([
      { type: 'Input', shape: [14, 14, 32] },
      { name: 'r', type: 'Reshape', targetShape: [7, 7, 64] },
    ]);
    expect(d.message).toContain('needs 3,136 elements');
    expect(d.message).toContain('has 6,272');
  });

  it("'causal' padding on a 2-D convolution is explained", () => {
    const d = only([
      { type: 'Input', shape: [10, 10, 3] },
      { name: 'c', type: 'Conv2D', filters: 2, kernelSize: 3, padding: 'causal' },
    ]);
    expect(d).toMatchObject({ layer: 'c', code: 'causal-not-1d', severity: 'error' });
  });

  it('stride and dilation both > 1: a warning naming the frameworks that refuse it', () => {
    const d = only([
      { type: 'Input', shape: [20, 3] },
      { name: 'c', type: 'Conv1D', filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 },
    ]);
    expect(d).toMatchObject({ severity: 'warning', code: 'stride-with-dilation' });
    expect(d.message).toContain('Keras and TensorFlow.js refuse it');
  });

  it('groups must divide the channels and the filters', () => {
    const d = only([
      { type: 'Input', shape: [10, 10, 6] },
      { name: 'g', type: 'Conv2D', filters: 8, kernelSize: 3, groups: 4 },
    ]);
    expect(d).toMatchObject({ layer: 'g', code: 'groups-indivisible' });
    expect(d.message).toContain('not 6 input channels');
  });

  it('a missing input, a layer without input, a duplicate name, a cycle', () => {
    expect(
      only([
        { name: 'a', type: 'Input', shape: [4, 2] },
        { name: 'b', type: 'Dense', units: 2, inputs: ['nope'] },
      ]),
    ).toMatchObject({
      layer: 'b',
      code: 'missing-input',
    });
    expect(only([{ name: 'x', type: 'Dense', units: 3 }])).toMatchObject({ layer: 'x', code: 'no-input' });
    expect(
      only([
        { name: 'a', type: 'Input', shape: [4, 2] },
        { name: 'a', type: 'Dense', units: 2 },
      ]),
    ).toMatchObject({
      code: 'duplicate-name',
    });
    const cycle = only([
      { name: 'in', type: 'Input', shape: [4, 2] },
      { name: 'b', type: 'Add', inputs: ['in', 'd'] },
      { name: 'c', type: 'Dense', units: 2, inputs: ['b'] },
      { name: 'd', type: 'Dense', units: 2, inputs: ['c'] },
    ]);
    expect(cycle).toMatchObject({ layer: 'b', code: 'cycle' });
    expect(cycle.message).toContain('b → c → d → b');
  });

  it('an error upstream is reported once, not at every layer after it', () => {
    const a = analyze([
      { type: 'Input', shape: [4, 4, 1] },
      { type: 'Conv2D', filters: 2, kernelSize: 7 },
      { type: 'Conv2D', filters: 2, kernelSize: 3 },
      { type: 'Flatten' },
      { type: 'Dense', units: 3 },
    ]);
    expect(a.diagnostics).toHaveLength(1);
    expect(a.layers.slice(1).every((l) => l.output === null)).toBe(true);
  });

  it('a convolution on a flat vector says why and what to do', () => {
    const d = only([
      { type: 'Input', shape: [28, 28, 1] },
      { type: 'Flatten' },
      { name: 'c', type: 'Conv2D', filters: 2, kernelSize: 3 },
    ]);
    expect(d).toMatchObject({ layer: 'c', code: 'wrong-rank' });
    expect(d.message).toContain('flat vector');
  });

  it('an image given to a 3-D layer, or a volume to a 2-D one, says which version fits', () => {
    const image = only([
      { type: 'Input', shape: [32, 32, 3] },
      { name: 'c', type: 'Conv3D', filters: 2, kernelSize: 3 },
    ]);
    expect(image).toMatchObject({ layer: 'c', code: 'wrong-rank' });
    expect(image.message).toContain('If it is an image (height × width × channels), use the 2-D version');
    const volume = only([
      { type: 'Input', shape: [8, 32, 32, 3] },
      { name: 'p', type: 'MaxPooling2D' },
    ]);
    expect(volume).toMatchObject({ layer: 'p', code: 'wrong-rank' });
    expect(volume.message).toContain('For volumes (depth × height × width × channels) use the 3-D version');
  });

  it('a bad field is located at its layer and field, and the rest is still analysed', () => {
    const a = analyze([
      { type: 'Input', shape: [28, 28, 1] },
      { name: 'bad', type: 'Conv2D', filters: 1e9, kernelSize: -3 },
      { name: 'ok', type: 'Conv2D', filters: 4, kernelSize: 3, inputs: ['input'] },
    ]);
    expect(a.diagnostics.map((d) => d.layer)).toEqual(['bad', 'bad']);
    expect(a.diagnostics.map((d) => diagnosticText(d, 'channels_last', 'keras'))).toEqual([
      'layers[1].filters: filters must be at most 1,048,576 (got 1000000000)',
      'layers[1].kernelSize: kernel size must be at least 1 (got -3)',
    ]);
    expect(a.layers.find((l) => l.name === 'ok')?.output).toEqual([26, 26, 4]);
  });

  it('an unknown layer type suggests the nearest known one', () => {
    const d = only([
      { type: 'Input', shape: [8, 8, 1] },
      { type: 'Conv2d', filters: 1, kernelSize: 1 },
    ]);
    expect(d.message).toContain("unknown layer type 'Conv2d'. Did you mean 'Conv2D'?");
  });
});
