import { describe, expect, it } from 'vitest';
import { synthetic, syntheticWaves } from '../../../src/train/data/synthetic';
import type { Dataset } from '../../../src/train/types';
import { sameBytes } from './archives';

/**
 * An independent classifier that knows only the recipe's nominal waves: per class, the energy of
 * the image at that wave (a quadrature pair of filters, so blind to phase and sign), largest wins.
 * If it is near perfect, the labels follow from the pixels and a network can learn them.
 */
function matchedFilterAccuracy(data: Dataset): number {
  const [height, width, channels] = data.shape;
  const waves = syntheticWaves(data.shape, data.classes.length);
  const { images, labels, count } = data.test;
  let right = 0;
  for (let n = 0; n < count; n++) {
    const energies = waves.map(({ ky, kx }) => {
      let energy = 0;
      for (let c = 0; c < channels; c++) {
        let [re, im] = [0, 0];
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            const v = images[((n * height + y) * width + x) * channels + c]! - 128;
            const angle = 2 * Math.PI * (ky * y + kx * x);
            re += v * Math.cos(angle);
            im += v * Math.sin(angle);
          }
        energy += re * re + im * im;
      }
      return energy;
    });
    if (energies.indexOf(Math.max(...energies)) === labels[n]) right++;
  }
  return right / count;
}

const cases: { name: string; shape: [number, number, number]; classes: number }[] = [
  { name: 'CIFAR-sized images, 10 classes', shape: [32, 32, 3], classes: 10 },
  { name: 'MNIST-sized images', shape: [28, 28, 1], classes: 10 },
  { name: 'small images, 4 classes', shape: [8, 8, 1], classes: 4 },
  { name: 'odd sizes', shape: [5, 7, 2], classes: 3 },
  { name: 'sequences [1, T, C] for 1D models', shape: [1, 64, 2], classes: 10 },
  { name: 'columns [T, 1, C]', shape: [48, 1, 3], classes: 5 },
];

describe('the synthetic set', () => {
  it.each(cases)('$name: labels follow from the pixels (a matched filter gets ≥ 90%)', ({ shape, classes }) => {
    const data = synthetic({ shape, classes, trainCount: 40, testCount: 200, seed: 7 });
    expect(data.shape).toEqual(shape);
    expect(data.classes).toHaveLength(classes);
    expect(data.train.images.length).toBe(40 * shape[0] * shape[1] * shape[2]);
    const accuracy = matchedFilterAccuracy(data);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('is balanced, mixed from the start, and uses the whole byte range', () => {
    const data = synthetic({ shape: [32, 32, 3], classes: 10, trainCount: 1000, testCount: 100, seed: 1 });
    const counts = data.train.labels.reduce((c, l) => (c[l]!++, c), new Array<number>(10).fill(0));
    expect(counts).toEqual(new Array(10).fill(100));
    expect(new Set(data.train.labels.subarray(0, 10)).size).toBe(10);
    expect(Math.min(...data.train.images.subarray(0, 30_000))).toBeLessThan(20);
    expect(Math.max(...data.train.images.subarray(0, 30_000))).toBeGreaterThan(235);
    data.mean.forEach((m) => expect(m).toBeCloseTo(0.5, 1));
    data.std.forEach((s) => expect(s).toBeGreaterThan(0.15));
  });

  it('is the same for the same seed, and different for another', () => {
    const make = (seed: number) => synthetic({ shape: [16, 16, 3], classes: 5, trainCount: 50, testCount: 20, seed });
    const [a, b, c] = [make(3), make(3), make(4)];
    expect(sameBytes(a.train.images, b.train.images) && sameBytes(a.test.images, b.test.images)).toBe(true);
    expect(a.mean).toEqual(b.mean);
    expect(sameBytes(a.train.images, c.train.images)).toBe(false);
    // The test images are not copies of training images.
    expect(sameBytes(a.train.images.subarray(0, 768), a.test.images.subarray(0, 768))).toBe(false);
  });

  it('refuses fewer than two classes and empty shapes', () => {
    expect(() => synthetic({ shape: [8, 8, 1], classes: 1, trainCount: 1, testCount: 1, seed: 0 })).toThrow(/classes/);
    expect(() => synthetic({ shape: [0, 8, 1], classes: 2, trainCount: 1, testCount: 1, seed: 0 })).toThrow(/shape/);
  });
});
