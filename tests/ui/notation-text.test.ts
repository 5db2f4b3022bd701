import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { explainLayer } from '../../src/engine/analysis/explain';
import { fixesFor } from '../../src/engine/analysis/fixes';
import type { Analysis, LayerResult } from '../../src/engine/analysis/result';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { applyEdits } from '../../src/engine/model/edits';
import type { Notation } from '../../src/engine/notation';
import type { DataFormat, Shape } from '../../src/engine/shape/shape';
import { writeMessage } from '../../src/engine/text/message';
import { presetModel, presets } from '../../src/presets';
import { shapeText } from '../../src/ui/format';
import { volumesOf } from '../../src/viz/volume-data';
import { analyze } from '../helpers';

const NOTATIONS: readonly Notation[] = ['pytorch', 'keras'];
const other = (n: Notation): Notation => (n === 'pytorch' ? 'keras' : 'pytorch');

/**
 * A shape as the notation writes it, worked out here and not by the code under test: the
 * channel axis (last in a channels-last model, first in a channels-first one) goes first in
 * PyTorch's order and last in Keras'; a vector stays as it is.
 */
function written(shape: Shape, format: DataFormat, notation: Notation): string {
  const dims = shape.map((d) => (d === null ? '?' : String(d)));
  if (dims.length < 2) return dims.join('×');
  const last = format === 'channels_last';
  const channels = (last ? dims[dims.length - 1] : dims[0]) as string;
  const spatial = last ? dims.slice(0, -1) : dims.slice(1);
  return (notation === 'pytorch' ? [channels, ...spatial] : [...spatial, channels]).join('×');
}

/** One filter of a convolution: in × k… in PyTorch's order, k… × in in Keras'. */
function filterWritten(kernel: readonly number[], depth: number, notation: Notation): string {
  return (notation === 'pytorch' ? [depth, ...kernel] : [...kernel, depth]).join('×');
}

/** Every "a×b×c" in a text (with "?" for open sizes). */
function shapeTokens(text: string): string[] {
  return text.match(/(?<![\d?×])[\d?]+(?:×[\d?]+)+(?![\d?×])/g) ?? [];
}

/** Every shape a layer's texts may mention: its inputs, its output and its block's layers'. */
function shapesOf(layer: LayerResult): Shape[] {
  const own = [...layer.inputShapes, layer.output].filter((s): s is Shape => s !== null);
  return [...own, ...(layer.children ?? []).flatMap(shapesOf)];
}

/**
 * No shape of the layer appears in the other notation's order: every "a×b×c" that is the
 * other order of one of its shapes (and not also this order of another) is a mistake.
 */
function expectNoWrongOrder(text: string, shapes: readonly Shape[], format: DataFormat, notation: Notation) {
  const right = new Set(shapes.map((s) => written(s, format, notation)));
  const wrong = shapes.map((s) => written(s, format, other(notation))).filter((w) => !right.has(w));
  const tokens = shapeTokens(text);
  for (const w of wrong) expect(tokens, `"${text}" writes ${w} in ${other(notation)} order`).not.toContain(w);
}

function checkLayer(analysis: Analysis, layer: LayerResult, notation: Notation) {
  const format = analysis.model.dataFormat;
  if (layer.output) expect(shapeText(layer.output, format, notation)).toBe(written(layer.output, format, notation));
  const why = explainLayer(layer, format, notation);
  if (layer.output) expect(why.startsWith(`${written(layer.output, format, notation)}: `), why).toBe(true);
  expectNoWrongOrder(why, shapesOf(layer), format, notation);
  const spec = layer.spec;
  const input = layer.inputShapes[0];
  if (layer.output && input && (spec?.type === 'Conv2D' || spec?.type === 'Conv1D')) {
    const channels = (format === 'channels_last' ? input[input.length - 1] : input[0]) as number;
    const sizes = [spec.kernelSize].flat();
    const kernel = input.slice(1).map((_, i) => (sizes.length === 1 ? sizes[0] : sizes[i]) as number);
    const each = filterWritten(kernel, channels / spec.groups, notation);
    expect(why, `${layer.name} in ${notation}`).toContain(`, each ${each} (`);
    const wrongEach = filterWritten(kernel, channels / spec.groups, other(notation));
    if (wrongEach !== each) expect(why).not.toContain(`each ${wrongEach}`);
  }
}

function checkDiagnostics(analysis: Analysis, notation: Notation) {
  const format = analysis.model.dataFormat;
  for (const d of analysis.diagnostics) {
    const layer = analysis.layers.find((l) => l.name === d.layer);
    const text = diagnosticText(d, format, notation);
    expectNoWrongOrder(text, layer ? shapesOf(layer) : [], format, notation);
    for (const fix of fixesFor(analysis, d))
      expectNoWrongOrder(writeMessage(fix.label, format, notation), layer ? shapesOf(layer) : [], format, notation);
  }
}

describe('every preset writes its shapes in the chosen notation', () => {
  for (const preset of presets) {
    it(preset.id, () => {
      const analysis = analyzeModel(presetModel(preset.id));
      for (const notation of NOTATIONS) {
        for (const layer of analysis.layers) {
          checkLayer(analysis, layer, notation);
          for (const child of layer.children ?? []) checkLayer(analysis, child, notation);
        }
        checkDiagnostics(analysis, notation);
        for (const v of volumesOf(analysis, notation)) {
          const layer = analysis.layers.find((l) => l.name === v.name) as LayerResult;
          if (layer.output) expect(v.label).toBe(written(layer.output, analysis.model.dataFormat, notation));
        }
      }
    });
  }
});

const conv = (name: string, filters: number, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'Conv2D',
  filters,
  kernelSize: 3,
  padding: 'same',
  ...extra,
});

/** Broken models, each with the sentence its diagnostic must hold, written from its shapes. */
const broken: {
  name: string;
  layers: Record<string, unknown>[];
  format?: DataFormat;
  code: string;
  says: (n: Notation, f: DataFormat) => string;
}[] = [
  {
    name: 'MNIST with an Add of two branches of different widths',
    layers: [
      { name: 'input', type: 'Input', shape: [28, 28, 1] },
      conv('conv1', 32),
      { name: 'pool1', type: 'MaxPooling2D' },
      conv('conv2', 64),
      { name: 'skip', type: 'Add', inputs: ['conv2', 'pool1'] },
    ],
    code: 'merge-mismatch',
    says: (n, f) => `'conv2' gives ${written([14, 14, 64], f, n)} and 'pool1' gives ${written([14, 14, 32], f, n)}`,
  },
  {
    name: 'a channels-first Add whose main path was downsampled',
    format: 'channels_first',
    layers: [
      { name: 'in', type: 'Input', shape: [16, 32, 32] },
      conv('main', 32, { strides: 2 }),
      { name: 'add', type: 'Add', inputs: ['main', 'in'] },
    ],
    code: 'merge-mismatch',
    says: (n, f) => `'main' gives ${written([32, 16, 16], f, n)} and 'in' gives ${written([16, 32, 32], f, n)}`,
  },
  {
    name: 'a Reshape to a size that does not hold the elements',
    layers: [
      { name: 'input', type: 'Input', shape: [3, 48] },
      { name: 'bad', type: 'Reshape', targetShape: [50, 3] },
    ],
    code: 'reshape-count',
    says: (n, f) =>
      `Reshape to ${written([50, 3], f, n)} needs 150 elements, but its input ${written([3, 48], f, n)} has 144`,
  },
  {
    name: 'a Reshape that should be a Permute (the issue’s 3×48 → 48×3)',
    layers: [
      { name: 'input', type: 'Input', shape: [3, 48] },
      { name: 'to_steps', type: 'Reshape', targetShape: [48, 3] },
    ],
    code: 'reshape-not-permute',
    says: (n, f) => `Reshape ${written([3, 48], f, n)} → ${written([48, 3], f, n)} does not just split`,
  },
  {
    name: 'a Concatenate of maps of different sizes',
    layers: [
      { name: 'input', type: 'Input', shape: [16, 16, 3] },
      conv('a', 16),
      { name: 'b', type: 'MaxPooling2D' },
      { name: 'join', type: 'Concatenate', inputs: ['a', 'b'] },
    ],
    code: 'concat-mismatch',
    says: (n, f) =>
      `joins along the channels; every other size must agree, but 'a' gives ${written([16, 16, 16], f, n)} and 'b' gives ${written([8, 8, 16], f, n)}`,
  },
  {
    name: 'a convolution on an input without a channel count',
    layers: [{ name: 'input', type: 'Input', shape: [8, 8, null] }, conv('c', 4)],
    code: 'unknown-channels',
    says: (n, f) => `the input is ${written([8, 8, null], f, n)}`,
  },
  {
    name: 'a 2-D convolution on a matrix without a channel axis',
    layers: [{ name: 'input', type: 'Input', shape: [28, 28] }, conv('c', 4)],
    code: 'wrong-rank',
    says: (n) =>
      `needs a 3-D input per example (${n === 'pytorch' ? 'channels × height × width' : 'height × width × channels'}) but gets 2-D`,
  },
  {
    name: 'Flatten → Dense on an open image size',
    layers: [
      { name: 'input', type: 'Input', shape: [null, null, 3] },
      conv('c', 8),
      { name: 'flatten', type: 'Flatten' },
      { name: 'classifier', type: 'Dense', units: 10 },
    ],
    code: 'dense-unknown-input',
    says: (n) => `after a Flatten it is ${n === 'pytorch' ? 'channels × height × width' : 'height × width × channels'}`,
  },
];

describe('diagnostics of broken models write their shapes in the chosen notation', () => {
  for (const b of broken) {
    it(b.name, () => {
      const analysis = analyze(b.layers, b.format);
      const format = analysis.model.dataFormat;
      const d = analysis.diagnostics.find((x) => x.code === b.code);
      expect(d, analysis.diagnostics.map((x) => x.code).join()).toBeDefined();
      for (const notation of NOTATIONS) {
        expect(diagnosticText(d!, format, notation)).toContain(b.says(notation, format));
        for (const layer of analysis.layers) checkLayer(analysis, layer, notation);
        checkDiagnostics(analysis, notation);
      }
      const [p, k] = NOTATIONS.map((n) => diagnosticText(d!, format, n));
      if (b.says('pytorch', format) !== b.says('keras', format)) expect(p).not.toBe(k);
    });
  }
});

describe('a one-click fix is offered only if it repairs the model', () => {
  /** The case: "3, 64, 64" typed into a channels-last Input reads as height 3, width 64, 64 channels. */
  const typedChannelsFirst = analyze([
    { name: 'input', type: 'Input', shape: [3, 64, 64] },
    conv('conv1', 32),
    { name: 'pool1', type: 'MaxPooling2D' },
    conv('conv2', 64),
    { name: 'pool2', type: 'MaxPooling2D' },
    { name: 'conv3', type: 'Conv2D', filters: 64, kernelSize: 3 },
  ]);

  it("the pool that outgrows a 1-pixel height is not offered 'same' padding: the next layer would fail", () => {
    const d = typedChannelsFirst.diagnostics[0]!;
    expect(d).toMatchObject({ layer: 'pool2', code: 'output-too-small' });
    expect(diagnosticText(d, 'channels_last', 'pytorch')).toContain('the input height is only 1');
    const labels = fixesFor(typedChannelsFirst, d).map((f) => writeMessage(f.label, 'channels_last', 'pytorch'));
    expect(labels).not.toContain("Use 'same' padding");
    // Applying it leaves an error: so it must not be offered.
    const same = analyzeModel(
      {
        ...typedChannelsFirst.model,
        layers: typedChannelsFirst.model.layers.map((l) =>
          l.name === 'pool2' ? { ...l, spec: { ...l.spec, padding: 'same' } as never } : l,
        ),
      },
      typedChannelsFirst,
    );
    expect(same.ok).toBe(false);
  });

  it('it is offered the input the student meant, written in the notation, and that builds', () => {
    const [fix] = fixesFor(typedChannelsFirst, typedChannelsFirst.diagnostics[0]!);
    expect(writeMessage(fix!.label, 'channels_last', 'pytorch')).toBe(
      'Make the input 3×64×64: 3 looks like the channel count',
    );
    expect(writeMessage(fix!.label, 'channels_last', 'keras')).toBe(
      'Make the input 64×64×3: 3 looks like the channel count',
    );
    const after = analyzeModel(applyEdits(typedChannelsFirst.model, fix!.edits));
    expect(after.ok).toBe(true);
    expect(after.layers.at(-1)?.output).toEqual([14, 14, 64]);
  });

  it("where 'same' padding does repair a window that outgrows its input, it is offered", () => {
    const a = analyze([
      { type: 'Input', shape: [4, 4, 1] },
      { name: 'c', type: 'Conv2D', filters: 2, kernelSize: 7 },
    ]);
    const labels = fixesFor(a, a.diagnostics[0]!).map((f) => writeMessage(f.label, 'channels_last', 'keras'));
    expect(labels).toEqual(["Use 'same' padding"]);
  });

  it('every fix offered for a broken model above removes its problem and leaves fewer errors', () => {
    for (const b of [...broken.map((x) => analyze(x.layers, x.format)), typedChannelsFirst]) {
      for (const d of b.diagnostics) {
        for (const fix of fixesFor(b, d)) {
          const after = analyzeModel(applyEdits(b.model, fix.edits));
          expect(after.diagnostics.some((x) => x.layer === d.layer && x.code === d.code)).toBe(false);
          const errors = (a: Analysis) => a.diagnostics.filter((x) => x.severity === 'error').length;
          expect(errors(after)).toBeLessThanOrEqual(errors(b) - (d.severity === 'error' ? 1 : 0));
        }
      }
    }
  });
});
