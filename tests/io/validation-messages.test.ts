import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { templateSpec } from '../../src/engine/layers/registry';
import { readModelText } from '../../src/io/read-model';
import { checkField } from '../../src/ui/inspector/field-model';

/** Every message a project file's problems produce: the reader's error, or the layers' diagnostics. */
function messages(file: unknown): string[] {
  const read = readModelText(JSON.stringify(file));
  if (!read.ok) return [read.error];
  return analyzeModel(read.model).diagnostics.map((d) => diagnosticText(d, read.model.dataFormat, 'keras'));
}

const input = { type: 'Input', shape: [28, 28, 1] };
const ZOD_WORDS = /Invalid input|Invalid option|expected (array|number|string)|received|Too (small|big)|>=|<=/;

describe('validation messages are sentences for people', () => {
  it.each([
    [
      'a shape that is not a list',
      [{ type: 'Input', shape: 'abc' }],
      'layers[0].shape: shape must be one value per axis (for example [28, 28, 1]) (got "abc")',
    ],
    [
      'a padding word that does not exist',
      [input, { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'full' }],
      "layers[1].padding: padding must be 'valid', 'same' or 'causal' (got \"full\")",
    ],
    [
      'a flag that is not true or false',
      [input, { type: 'Conv2D', filters: 4, kernelSize: 3, useBias: 'yes' }],
      'layers[1].useBias: useBias must be true or false (got "yes")',
    ],
    ['a missing field', [input, { type: 'Dense' }], 'layers[1].units: units is missing: this layer type needs it'],
    [
      'a momentum past 1',
      [input, { type: 'BatchNormalization', momentum: 2 }],
      'layers[1].momentum: momentum must be at most 1 (got 2)',
    ],
  ])('%s: located at the layer and field, saying what is allowed', (_, layers, message) => {
    const all = messages({ layers });
    expect(all).toContain(message);
    for (const m of all) expect(m).not.toMatch(ZOD_WORDS);
  });

  it('file-level problems too', () => {
    expect(messages({ layers: [input], dataFormat: 'nchw' })).toEqual([
      "dataFormat: dataFormat must be 'channels_last' or 'channels_first' (got \"nchw\")",
    ]);
  });

  it('the editor says a required field is needed, by its name in the notation', () => {
    const conv = templateSpec('Conv2D') as unknown as Record<string, unknown>;
    const ctx = { notation: 'pytorch', format: 'channels_last' } as const;
    expect(checkField(conv, 'filters', '', ctx)).toEqual({
      ok: false,
      error: 'out_channels is needed: this layer has no default for it',
    });
    expect(checkField({ type: 'Input', shape: [28, 28, 1] }, 'shape', 'a, b', ctx)).toEqual({
      ok: false,
      error: 'shape must be one value per axis (for example 1, 28, 28)',
    });
  });
});
