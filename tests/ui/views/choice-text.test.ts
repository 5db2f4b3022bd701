import { describe, expect, it } from 'vitest';
import { choiceText } from '../../../src/ui/views/figure/choice-text';
import { volumeNote } from '../../../src/ui/views/figure/volume-note';
import { analyze, layerOf } from '../../helpers';

describe('a picture with nothing to pick', () => {
  it('says the model has no layer it draws instead of offering an empty list', () => {
    expect(choiceText('fc (Dense) has no convolution kernel to draw. Pick a convolution:', 0)).toBe(
      'fc (Dense) has no convolution kernel to draw. This model has no layer this picture draws.',
    );
    // With layers to offer, the message is unchanged.
    expect(choiceText('fc (Dense) has no convolution kernel to draw. Pick a convolution:', 2)).toBe(
      'fc (Dense) has no convolution kernel to draw. Pick a convolution:',
    );
    expect(choiceText('Pick a convolution to see how its filters span the input channels:', 0)).toBe(
      'This model has no layer this picture draws.',
    );
  });

  it("keeps a 3-D layer's reason and drops its request to pick a 1-D or 2-D layer", () => {
    const analysis = analyze([
      { type: 'Input', name: 'in', shape: [8, 16, 16, 1] },
      { type: 'Conv3D', name: 'c', filters: 4, kernelSize: 3 },
    ]);
    const note = volumeNote(layerOf(analysis, 'c'), analysis.model.dataFormat) as string;
    expect(note).toMatch(/Pick a 1-D or 2-D layer:$/);
    expect(choiceText(note, 0)).toBe(
      'c (Conv3D) works on 3-D volumes (depth × height × width). This picture is drawn for 1-D and 2-D layers; ' +
        'the layer table gives its shapes, weights and receptive field per axis. This model has no layer this picture draws.',
    );
  });
});
