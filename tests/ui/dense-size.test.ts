import { describe, expect, it } from 'vitest';
import { denseSizeChanges, denseSizeNote, inputSizedDenses } from '../../src/ui/layers/dense-size';
import { analyze } from '../helpers';

const net = (size: number, head: 'Flatten' | 'GlobalAveragePooling2D' = 'Flatten') =>
  analyze([
    { name: 'input', type: 'Input', shape: [size, size, 3] },
    { name: 'conv', type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same' },
    { name: 'pool', type: 'MaxPooling2D', poolSize: 4 },
    { name: 'flatten', type: head },
    { name: 'dense', type: 'Dense', units: 10 },
  ]);

describe('a Dense after Flatten says its size depends on the input size', () => {
  it('64×64 → 16×16×8 = 2,048 features → 20,490 weights; 96×96 → 4,608 → 46,090', () => {
    const [small] = inputSizedDenses(net(64));
    const [big] = inputSizedDenses(net(96));
    expect(small).toMatchObject({ name: 'dense', params: 16 * 16 * 8 * 10 + 10, inputSize: '64×64' });
    expect(big).toMatchObject({ params: 24 * 24 * 8 * 10 + 10, inputSize: '96×96' });
    expect(denseSizeNote(small!)).toBe(
      'Its 20,490 weights depend on the 64×64 input: a different input size changes them, since Flatten hands it every position. GlobalAveragePooling2D in place of Flatten makes the net fully convolutional.',
    );
    expect(denseSizeChanges([small!], [big!])).toEqual([
      "dense's weights went from 20,490 to 46,090: the input went from 64×64 to 96×96, and Flatten hands dense every position.",
    ]);
  });

  it('global pooling frees the Dense of the input size; an edit elsewhere reports no change', () => {
    expect(inputSizedDenses(net(64, 'GlobalAveragePooling2D'))).toEqual([]);
    const same = inputSizedDenses(net(64));
    expect(denseSizeChanges(same, same)).toEqual([]);
  });
});
