import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../../src/train/data/mnist';
import type { Dataset } from '../../../src/train/types';
import { sameBytes } from './archives';

/** The package's digit files read directly, not through the loader: per digit, its samples as bytes. */
const require = createRequire(import.meta.url);
const raw = Array.from({ length: 10 }, (_, d) => {
  const values = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
  return Array.from({ length: values.length / 784 }, (_, i) =>
    values
      .slice(i * 784, (i + 1) * 784)
      .map((v) => Math.round(v * 255))
      .join(','),
  );
});

const key = (images: Uint8Array, i: number) => Array.from(images.subarray(i * 784, (i + 1) * 784)).join(',');

describe('MNIST from the mnist package', () => {
  let data: Dataset;
  beforeAll(async () => {
    data = await loadMnist();
  });

  it('splits the 10,000 digits into 8,000 training and 2,000 held-out, 200 of each digit held out', () => {
    expect(raw.reduce((n, d) => n + d.length, 0)).toBe(10_000);
    expect([data.train.count, data.test.count]).toEqual([8000, 2000]);
    expect(data.shape).toEqual([28, 28, 1]);
    expect(data.train.images.length).toBe(8000 * 784);
    const count = (labels: Uint8Array) => labels.reduce((c, l) => (c[l]!++, c), new Array<number>(10).fill(0));
    expect(count(data.test.labels)).toEqual(new Array(10).fill(200));
    expect(count(data.train.labels)).toEqual(raw.map((d) => d.length - 200));
  });

  it('holds the package’s own digits with their labels, none of the test ones in training', () => {
    const heldOut = raw.map((d) => new Set(d.slice(d.length - 200)));
    const trained = raw.map((d) => new Set(d.slice(0, d.length - 200)));
    for (let i = 0; i < data.test.count; i++)
      expect(heldOut[data.test.labels[i]!]!.has(key(data.test.images, i))).toBe(true);
    for (let i = 0; i < data.train.count; i += 7) {
      const label = data.train.labels[i]!;
      expect(trained[label]!.has(key(data.train.images, i))).toBe(true);
      expect(heldOut[label]!.has(key(data.train.images, i))).toBe(false);
    }
  });

  it('has bytes 0–255 with MNIST’s published mean and std (0.1307, 0.3081)', () => {
    let [min, max] = [255, 0];
    for (const v of data.train.images) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect([min, max]).toEqual([0, 255]);
    expect(data.mean[0]).toBeCloseTo(0.1307, 2);
    expect(data.std[0]).toBeCloseTo(0.3081, 2);
  });

  it('is the same on every load, in an order where the first hundred hold every digit', async () => {
    const again = await loadMnist();
    expect(sameBytes(again.train.labels, data.train.labels)).toBe(true);
    expect(sameBytes(again.train.images, data.train.images)).toBe(true);
    expect(sameBytes(again.test.images, data.test.images)).toBe(true);
    expect(new Set(data.train.labels.subarray(0, 100)).size).toBe(10);
    expect(new Set(data.test.labels.subarray(0, 100)).size).toBe(10);
  });
});
