import { scaleLog } from 'd3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logScale } from '../../src/viz/volumes';

/** d3's clamped log scale, the oracle: the volume diagram sized its boxes with it. */
const d3Scale = (domain: [number, number], range: [number, number]) =>
  scaleLog().domain(domain).range(range).clamp(true);

describe('the volume diagram’s log scale', () => {
  it('gives d3’s scaleLog sizes for every height, width and channel count, inside and outside the domain', () => {
    for (const [domain, range] of [
      [
        [1, 256],
        [10, 150],
      ],
      [
        [1, 2048],
        [3, 70],
      ],
    ] as [[number, number], [number, number]][]) {
      const ours = logScale(domain, range);
      const theirs = d3Scale(domain, range);
      for (let x = 1; x <= 5000; x++) expect(ours(x)).toBe(theirs(x));
      expect(ours(domain[0])).toBe(range[0]);
      expect(ours(domain[1])).toBe(range[1]);
      expect(ours(1e9)).toBe(range[1]);
    }
  });

  it('matches d3 on any positive domain, range and value', () => {
    const number = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    const positive = fc.double({ min: 1e-3, max: 1e6, noNaN: true });
    const ratio = fc.double({ min: 1.5, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(positive, ratio, number, number, positive, (low, times, r0, r1, x) => {
        const domain: [number, number] = [low, low * times];
        expect(logScale(domain, [r0, r1])(x)).toBeCloseTo(d3Scale(domain, [r0, r1])(x), 9);
      }),
    );
  });
});
