import { describe, expect, it } from 'vitest';
import { templateSpec } from '../../src/engine/layers/registry';
import { checkField, fieldsOf, fieldText, parseFieldText } from '../../src/ui/inspector/field-model';

describe('layer forms from the registry', () => {
  it('lists a kind’s fields with the right control and the schema’s description', () => {
    const conv = fieldsOf('Conv2D');
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
    expect(fieldsOf('TimeDistributed').find((f) => f.name === 'layer')?.control).toBe('json');
  });

  it('reads what people type', () => {
    expect(parseFieldText('3')).toBe(3);
    expect(parseFieldText('3, 5')).toEqual([3, 5]);
    expect(parseFieldText('3×5')).toEqual([3, 5]);
    expect(parseFieldText('3x5')).toEqual([3, 5]);
    expect(parseFieldText('?, ?, 3')).toEqual([null, null, 3]);
    expect(parseFieldText('[[0, 1], [0, 1]]')).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(parseFieldText('same')).toBe('same');
    expect(parseFieldText('')).toBeUndefined();
    expect(fieldText([32, 32, 3])).toBe('32, 32, 3');
    expect(fieldText([null, null, 3])).toBe('?, ?, 3');
  });

  it('flags an impossible value at its field and accepts a good one with defaults filled', () => {
    const conv = templateSpec('Conv2D') as unknown as Record<string, unknown>;
    expect(checkField(conv, 'kernelSize', '-3')).toEqual({ ok: false, error: 'kernel size must be at least 1' });
    expect(checkField(conv, 'kernelSize', 'abc')).toEqual({
      ok: false,
      error: 'Expected a number, or one number per axis (3, 5)',
    });
    expect(checkField(conv, 'padding', 'full')).toMatchObject({
      ok: false,
      error: expect.stringContaining("'valid', or 'same', or 'causal'"),
    });
    expect(checkField(conv, 'filters', '1e9')).toEqual({ ok: false, error: 'filters must be at most 1,048,576' });
    expect(checkField(conv, 'kernelSize', '5')).toMatchObject({ ok: true, spec: { kernelSize: 5, filters: 32 } });
    expect(checkField(conv, 'strides', '')).toMatchObject({ ok: true, spec: { strides: 1 } });
  });
});
