import { describe, expect, it } from 'vitest';
import { convLegend } from '../../src/ui/views/conv/legend';
import { windowModel } from '../../src/ui/views/conv/model';
import { analyze } from '../helpers';

function legendOf(spec: Record<string, unknown>, input = [8, 8, 2]) {
  const a = analyze([
    { type: 'Input', shape: input },
    { name: 'layer', ...spec },
  ]);
  const layer = a.layers.find((l) => l.name === 'layer')!;
  const model = windowModel(layer, a.model.dataFormat);
  expect(model).not.toBeNull();
  return convLegend(model!);
}

describe('the Convolution figure explains hatched cells only when it draws some', () => {
  it.each([
    {
      spec: { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      hatch: 'Hatched cells are padding (zeros).',
    },
    { spec: { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'valid' }, hatch: null },
    { spec: { type: 'MaxPooling2D', poolSize: 2 }, hatch: null },
    {
      spec: { type: 'MaxPooling2D', poolSize: 3, strides: 2, padding: 'same' },
      hatch: 'which max pooling never picks',
    },
    {
      spec: { type: 'Conv2DTranspose', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
      hatch: 'Hatched cells are zeros: the inserted ones and the padding.',
    },
  ])('$spec.type $spec.padding', ({ spec, hatch }) => {
    const legend = legendOf(spec);
    if (hatch === null) expect(legend).not.toContain('Hatched');
    else expect(legend).toContain(hatch);
    expect(legend.length).toBeGreaterThan(10);
  });
});
