import { describe, expect, it } from 'vitest';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { analyze } from '../helpers';

/** The Add error for a main path `main` beside an unchanged `shortcut`, both fed by one Input. */
function addError(input: number[], main: Record<string, unknown>, format?: 'channels_last' | 'channels_first') {
  const a = analyze(
    [
      { name: 'in', type: 'Input', shape: input },
      { name: 'main', type: 'Conv2D', padding: 'same', kernelSize: 3, ...main },
      { name: 'add', type: 'Add', inputs: ['main', 'in'] },
    ],
    format,
  );
  const d = a.diagnostics.find((x) => x.code === 'merge-mismatch');
  expect(d).toBeDefined();
  return diagnosticText(d!, format ?? 'channels_last', 'keras');
}

describe('the Add error says exactly what the main path changed', () => {
  it.each([
    {
      case: 'size and channels',
      input: [32, 32, 16],
      main: { filters: 32, strides: 2 },
      says: [
        'changed the size (÷2) and the channels (16 → 32); the shortcut did not',
        '1×1 convolution with stride 2 and 32 filters',
        'take every 2nd position and zero-pad its channels to 32 (option A',
      ],
      never: ['not the'],
    },
    {
      case: 'size only: both sides have 32 channels',
      input: [32, 32, 32],
      main: { filters: 32, strides: 2 },
      says: [
        'changed the size (÷2) but not the channels (32 on both)',
        '1×1 convolution with stride 2 and 32 filters',
        'or take every 2nd position (option A',
      ],
      never: ['zero-pad', '→'],
    },
    {
      case: 'channels only: same size',
      input: [32, 32, 16],
      main: { filters: 64, strides: 1 },
      says: [
        'changed the channels (16 → 64) but not the size',
        'a 1×1 convolution and 64 filters',
        'or zero-pad its channels to 64 (option A',
      ],
      never: ['÷', 'stride', 'every'],
    },
    {
      case: 'a stride of 3: third positions',
      input: [27, 27, 8],
      main: { filters: 8, strides: 3 },
      says: ['changed the size (÷3) but not the channels (8 on both)', 'take every 3rd position'],
      never: ['3th'],
    },
    {
      case: 'narrower and smaller main path: only a projection fits',
      input: [32, 32, 64],
      main: { filters: 16, strides: 2 },
      says: ['changed the size (÷2) and the channels (64 → 16)', '1×1 convolution with stride 2 and 16 filters'],
      never: ['option A', 'zero-pad'],
    },
  ])('$case', ({ input, main, says, never }) => {
    const message = addError(input, main);
    for (const s of says) expect(message).toContain(s);
    for (const s of never) expect(message).not.toContain(s);
  });

  it('channels first: the size is read from the spatial axes, not the channel axis', () => {
    const message = addError([16, 32, 32], { filters: 32, strides: 2 }, 'channels_first');
    expect(message).toContain('changed the size (÷2) and the channels (16 → 32)');
    const same = addError([32, 32, 32], { filters: 32, strides: 2 }, 'channels_first');
    expect(same).toContain('changed the size (÷2) but not the channels (32 on both)');
  });

  it('shapes that are not a resized or widened copy get no shortcut advice', () => {
    const message = addError([30, 30, 8], { filters: 8, strides: 1, padding: 'valid', kernelSize: 5 });
    expect(message).toContain('needs inputs of the same shape');
    expect(message).not.toContain('main path');
  });
});
