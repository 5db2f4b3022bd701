import { describe, expect, it } from 'vitest';
import { exportModel } from '../../src/io/export';
import { summaryJson } from '../../src/io/summary/json';
import { summaryText } from '../../src/io/summary/text';
import { analyze } from '../helpers';

const badAdd = (format: 'channels_last' | 'channels_first') =>
  analyze(
    [
      { name: 'in', type: 'Input', shape: format === 'channels_last' ? [32, 32, 16] : [16, 32, 32] },
      { name: 'main', type: 'Conv2D', filters: 32, kernelSize: 3, strides: 2, padding: 'same' },
      { name: 'add', type: 'Add', inputs: ['main', 'in'] },
    ],
    format,
  );

describe('the CLI summary, the JSON summary and export problems write diagnostics in a notation', () => {
  it('the text summary writes them in the notation asked for, like its table', () => {
    const a = badAdd('channels_last');
    expect(summaryText(a, 'pytorch')).toContain("'main' gives 32×16×16 and 'in' gives 16×32×32");
    expect(summaryText(a, 'pytorch')).toContain('(None, 32, 16, 16)');
    expect(summaryText(a, 'keras')).toContain("'main' gives 16×16×32 and 'in' gives 32×32×16");
  });

  it('the JSON summary writes them in the model’s own layout, as its outputShape', () => {
    expect(summaryJson(badAdd('channels_last')).diagnostics[0]?.message).toContain("'main' gives 16×16×32");
    expect(summaryJson(badAdd('channels_first')).diagnostics[0]?.message).toContain("'main' gives 32×16×16");
  });

  it('an export refused for an error writes it in the target framework’s notation', () => {
    const a = badAdd('channels_last');
    const torch = exportModel(a, 'pytorch');
    const keras = exportModel(a, 'keras');
    expect(!torch.ok && torch.problems[0]?.message).toContain("'main' gives 32×16×16");
    expect(!keras.ok && keras.problems[0]?.message).toContain("'main' gives 16×16×32");
  });
});
