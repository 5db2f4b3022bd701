import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../src/ui/inspector/field-model';

describe('every field of the ResNet blocks has help', () => {
  it.each(
    ['ResNetBasicBlock', 'ResNetBottleneckBlock'].flatMap(
      (t) =>
        [
          [t, 'pytorch'],
          [t, 'keras'],
        ] as const,
    ),
  )('%s in %s notation', (type, notation) => {
    const fields = fieldsOf(type, notation);
    expect(fields.length).toBeGreaterThan(4);
    for (const f of fields) expect(f.description, f.name).not.toBe('');
  });
});
