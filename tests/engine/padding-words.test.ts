import { describe, expect, it } from 'vitest';
import { explainLayer } from '../../src/engine/analysis/explain';
import { analyze } from '../helpers';

/** "Why this shape" for a size-keeping conv with the given padding. */
function why(padding: unknown, kernelSize = 3) {
  const a = analyze([
    { type: 'Input', shape: [64, 64, 8] },
    { name: 'conv', type: 'Conv2D', filters: 8, kernelSize, padding },
  ]);
  const layer = a.layers.find((l) => l.name === 'conv')!;
  return explainLayer(layer, a.model.dataFormat, 'keras');
}

describe('"stride 1 and … keep 64×64" names the padding that keeps the size', () => {
  it.each([
    { padding: 'same', says: "stride 1 and 'same' padding keep 64×64" },
    { padding: 1, says: 'stride 1 and padding 1 keep 64×64' },
    { padding: [1, 1], says: 'stride 1 and padding 1 on each side keep 64×64' },
    {
      padding: [
        [0, 2],
        [0, 2],
      ],
      kernelSize: 3,
      says: 'stride 1 and padding 0 before and 2 after keep 64×64',
    },
    { padding: 'valid', kernelSize: 1, says: "stride 1 and no padding ('valid') keep 64×64" },
  ])('$padding', ({ padding, kernelSize, says }) => {
    const text = why(padding, kernelSize);
    expect(text).toContain(says);
    expect(text).not.toContain('this padding');
  });
});
