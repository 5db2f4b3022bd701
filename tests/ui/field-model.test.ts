import { describe, expect, it } from 'vitest';
import type { FieldContext } from '../../src/engine/layers/field-values';
import { templateSpec } from '../../src/engine/layers/registry';
import type { Notation } from '../../src/engine/notation';
import { analyze } from '../helpers';
import {
  checkField,
  fieldNote,
  fieldsOf,
  fieldText,
  parseFieldText,
  shownText,
} from '../../src/ui/inspector/field-model';

const keras: FieldContext = { notation: 'keras', format: 'channels_last' };
const pytorch: FieldContext = { notation: 'pytorch', format: 'channels_last' };
const input = { type: 'Input', shape: [32, 32, 3] };
const labels = (type: string, notation: Notation) => fieldsOf(type, notation).map((f) => f.label);

describe('layer forms from the registry', () => {
  it('lists a kind’s fields with the right control and the schema’s description', () => {
    const conv = fieldsOf('Conv2D', 'keras');
    expect(conv.map((f) => f.name)).toEqual([
      'filters',
      'kernelSize',
      'strides',
      'padding',
      'dilationRate',
      'groups',
      'useBias',
      'activation',
    ]);
    expect(conv.find((f) => f.name === 'useBias')?.control).toBe('checkbox');
    expect(conv.find((f) => f.name === 'activation')?.control).toBe('select');
    expect(conv.find((f) => f.name === 'padding')?.options).toEqual(['valid', 'same', 'causal']);
    expect(conv.find((f) => f.name === 'filters')?.description).toContain('one output channel');
    expect(fieldsOf('TimeDistributed', 'keras').find((f) => f.name === 'layer')?.control).toBe('json');
  });

  it('labels fields with Keras’ argument names in Keras notation and PyTorch’s in PyTorch notation', () => {
    expect(labels('Conv2D', 'keras')).toEqual([
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'dilation_rate',
      'groups',
      'use_bias',
      'activation',
    ]);
    expect(labels('Conv2D', 'pytorch')).toEqual([
      'out_channels',
      'kernel_size',
      'stride',
      'padding',
      'dilation',
      'groups',
      'bias',
      'activation',
    ]);
    expect(labels('MaxPooling2D', 'keras')).toEqual(['pool_size', 'strides', 'padding', 'ceil_mode']);
    expect(labels('MaxPooling2D', 'pytorch')).toEqual(['kernel_size', 'stride', 'padding', 'ceil_mode']);
    expect(labels('Dense', 'keras')).toEqual(['units', 'use_bias', 'activation']);
    expect(labels('Dense', 'pytorch')).toEqual(['out_features', 'bias', 'activation']);
    expect(labels('Dropout', 'pytorch')).toEqual(['p']);
    expect(labels('BatchNormalization', 'pytorch')).toEqual(['axis', 'center', 'scale', 'eps', 'momentum']);
    expect(labels('ResNetBasicBlock', 'pytorch')[0]).toBe('planes');
    // No camelCase label is left in either notation.
    for (const notation of ['keras', 'pytorch'] as const)
      for (const type of ['Conv1D', 'Conv2DTranspose', 'SeparableConv2D', 'Reshape', 'UpSampling2D'])
        for (const label of labels(type, notation)) expect(label, `${type} in ${notation}`).toMatch(/^[a-z_0-9]+$/);
  });

  it('explains the Input shape in the notation’s axis order', () => {
    expect(fieldsOf('Input', 'pytorch')[0]?.description).toContain('C, H, W');
    expect(fieldsOf('Input', 'keras')[0]?.description).toContain('H, W, C');
    expect(fieldsOf('Input', 'keras')[0]?.description).toContain('None');
  });

  it('reads what people type, with None, null, ? or an empty entry for a size that may vary', () => {
    expect(parseFieldText('3')).toBe(3);
    expect(parseFieldText('3, 5')).toEqual([3, 5]);
    expect(parseFieldText('3×5')).toEqual([3, 5]);
    expect(parseFieldText('3x5')).toEqual([3, 5]);
    expect(parseFieldText('?, ?, 3')).toEqual([null, null, 3]);
    expect(parseFieldText('None, 28, 28')).toEqual([null, 28, 28]);
    expect(parseFieldText('null, null, 3')).toEqual([null, null, 3]);
    expect(parseFieldText(', 28, 28')).toEqual([null, 28, 28]);
    expect(parseFieldText('1, , ')).toEqual([1, null]);
    expect(parseFieldText('(None, 28, 1)')).toEqual([null, 28, 1]);
    expect(parseFieldText('[None, 28, 1]')).toEqual([null, 28, 1]);
    expect(parseFieldText('None')).toBeNull();
    expect(parseFieldText('[[0, 1], [0, 1]]')).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(parseFieldText('same')).toBe('same');
    expect(parseFieldText('')).toBeUndefined();
    expect(fieldText([32, 32, 3])).toBe('32, 32, 3');
    expect(fieldText([null, null, 3])).toBe('?, ?, 3');
  });

  it('flags an impossible value at its field, in a sentence with an example, and accepts a good one', () => {
    const conv = templateSpec('Conv2D') as unknown as Record<string, unknown>;
    expect(checkField(conv, 'kernelSize', '-3', keras)).toEqual({ ok: false, error: 'kernel size must be at least 1' });
    expect(checkField(conv, 'kernelSize', 'abc', keras)).toEqual({
      ok: false,
      error: 'kernel_size must be a number (for example 3) or one value per axis (for example 3, 5)',
    });
    expect(checkField(conv, 'padding', 'full', pytorch)).toEqual({
      ok: false,
      error:
        "padding must be 'valid', 'same', 'causal', a number (for example 3) or one value per axis (for example 3, 5)",
    });
    expect(checkField(conv, 'filters', '1e9', keras)).toEqual({
      ok: false,
      error: 'filters must be at most 1,048,576',
    });
    expect(checkField(conv, 'kernelSize', '5', keras)).toMatchObject({
      ok: true,
      spec: { kernelSize: 5, filters: 32 },
    });
    expect(checkField(conv, 'strides', '', keras)).toMatchObject({ ok: true, spec: { strides: 1 } });
    expect(checkField(input, 'shape', 'abc', keras)).toEqual({
      ok: false,
      error: 'shape must be one value per axis (for example 28, 28, 1)',
    });
    for (const ctx of [keras, pytorch])
      for (const check of Object.values(checkField(input, 'shape', '0, 28, 28', ctx)))
        expect(String(check)).not.toMatch(/Invalid input|expected array|received/);
  });
});

describe('the Input shape in the notation’s axis order', () => {
  it.each([
    ['pytorch', '3, 64, 64', [64, 64, 3], '3, 64, 64'],
    ['keras', '64, 64, 3', [64, 64, 3], '64, 64, 3'],
    ['pytorch', 'None, 28, 28', [28, 28, null], '?, 28, 28'],
    ['keras', 'None, None, 3', [null, null, 3], '?, ?, 3'],
    ['pytorch', '2, ?', [null, 2], '2, ?'],
    ['keras', 'null, 2', [null, 2], '?, 2'],
    ['pytorch', ', 28, 28', [28, 28, null], '?, 28, 28'],
    ['pytorch', '784', [784], '784'],
    ['keras', 'None', [null], '?'],
  ] as const)('in %s notation "%s" is stored as %j in a channels-last model', (notation, text, stored, shown) => {
    const ctx = notation === 'pytorch' ? pytorch : keras;
    const checked = checkField(input, 'shape', text, ctx);
    expect(checked).toMatchObject({ ok: true, spec: { shape: stored } });
    if (!checked.ok) return;
    expect(shownText('Input', 'shape', checked.spec['shape'], ctx)).toBe(shown);
  });

  it('round-trips exactly when the notation switches, for both model layouts', () => {
    for (const format of ['channels_last', 'channels_first'] as const) {
      const stored = format === 'channels_last' ? [64, 48, 3] : [3, 64, 48];
      const spec = { type: 'Input', shape: stored };
      const asTorch = shownText('Input', 'shape', stored, { notation: 'pytorch', format });
      const asKeras = shownText('Input', 'shape', stored, { notation: 'keras', format });
      expect(asTorch).toBe('3, 64, 48');
      expect(asKeras).toBe('64, 48, 3');
      expect(checkField(spec, 'shape', asTorch, { notation: 'pytorch', format })).toMatchObject({
        spec: { shape: stored },
      });
      expect(checkField(spec, 'shape', asKeras, { notation: 'keras', format })).toMatchObject({
        spec: { shape: stored },
      });
    }
    expect(shownText('Input', 'shape', [100, 8], pytorch)).toBe('8, 100');
    expect(shownText('Input', 'shape', [100, 8], keras)).toBe('100, 8');
  });
});

describe('padding and momentum as each framework writes them', () => {
  const geometryOf = (layers: Record<string, unknown>[]) => {
    return analyze(layers).layers.at(-1)?.geometry;
  };

  it("shows 'same' at stride 1 as PyTorch's padding=1 and 'valid' as 0, and stores what was typed", () => {
    const conv = { type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same' };
    const geometry = geometryOf([
      { name: 'in', type: 'Input', shape: [32, 32, 3] },
      { name: 'c', ...conv },
    ]);
    const ctx = { ...pytorch, geometry };
    expect(shownText('Conv2D', 'padding', 'same', ctx)).toBe('1');
    expect(shownText('Conv2D', 'padding', 'valid', ctx)).toBe('0');
    expect(shownText('Conv2D', 'padding', 'same', { ...keras, geometry })).toBe('same');
    expect(fieldNote('Conv2D', 'padding', 'same', ctx)).toBeNull();
    expect(checkField(conv, 'padding', '2', ctx)).toMatchObject({ ok: true, spec: { padding: 2 } });
  });

  it("says what PyTorch needs for TF 'same' at stride 2 (uneven) and for 'causal', rather than a number", () => {
    const geometry = geometryOf([
      { name: 'in', type: 'Input', shape: [32, 32, 3] },
      { name: 'c', type: 'Conv2D', filters: 8, kernelSize: 3, strides: 2, padding: 'same' },
    ]);
    const ctx = { ...pytorch, geometry };
    expect(shownText('Conv2D', 'padding', 'same', ctx)).toBe('same');
    expect(fieldNote('Conv2D', 'padding', 'same', ctx)).toBe(
      "No single PyTorch padding says this: TensorFlow's 'same' at stride > 1 pads height 0 before, 1 after; " +
        'width 0 before, 1 after for this input. In PyTorch: F.pad(x, (0, 1, 0, 1)) then padding=0.',
    );
    const causal = geometryOf([
      { name: 'in', type: 'Input', shape: [100, 1] },
      { name: 'c', type: 'Conv1D', filters: 8, kernelSize: 3, dilationRate: 2, padding: 'causal' },
    ]);
    const causalCtx = { ...pytorch, geometry: causal };
    expect(shownText('Conv1D', 'padding', 'causal', causalCtx)).toBe('causal');
    expect(fieldNote('Conv1D', 'padding', 'causal', causalCtx)).toBe(
      "PyTorch has no 'causal': it pads only the start, so write F.pad(x, (4, 0)) then padding=0.",
    );
    expect(fieldNote('Conv2D', 'padding', 1, { ...keras, geometry })).toContain('ZeroPadding2D');
  });

  it("shows batch norm's momentum as PyTorch defines it (1 − Keras') and stores Keras'", () => {
    const bn = templateSpec('BatchNormalization') as unknown as Record<string, unknown>;
    expect(shownText('BatchNormalization', 'momentum', 0.99, pytorch)).toBe('0.01');
    expect(shownText('BatchNormalization', 'momentum', 0.99, keras)).toBe('0.99');
    expect(checkField(bn, 'momentum', '0.1', pytorch)).toMatchObject({ ok: true, spec: { momentum: 0.9 } });
  });
});
