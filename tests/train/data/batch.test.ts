import { describe, expect, it } from 'vitest';
import { batcherFor, makeBatch, type BatchOptions } from '../../../src/train/data/batch';
import { epochBatches, mulberry32, permutation } from '../../../src/train/data/random';
import { synthetic } from '../../../src/train/data/synthetic';
import type { ImageSet } from '../../../src/train/types';

const SHAPE = [32, 32, 3] as const;
const SIZE = 32 * 32 * 3;
const data = synthetic({ shape: [32, 32, 3], classes: 10, trainCount: 64, testCount: 16, seed: 5 });
const plain: BatchOptions = { shape: SHAPE, mean: data.mean, std: data.std, crop: 0, flip: false };
/** An rng that returns the given numbers in turn: pins each image's row offset, column offset and flip. */
const script = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

/** The reference crop of He et al.: pad 4 black pixels, take the 32×32 window at (4 + dy, 4 + dx), mirror. */
function reference(set: ImageSet, index: number, dy: number, dx: number, mirror: boolean, options = plain): number[] {
  const out: number[] = [];
  for (let i = 0; i < 32; i++)
    for (let j = 0; j < 32; j++)
      for (let c = 0; c < 3; c++) {
        const [si, sj] = [i + dy, (mirror ? 31 - j : j) + dx];
        const byte = si < 0 || si > 31 || sj < 0 || sj > 31 ? 0 : set.images[index * SIZE + (si * 32 + sj) * 3 + c]!;
        out.push((byte / 255 - options.mean[c]!) / options.std[c]!);
      }
  return out;
}
const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) < 1e-5);

describe('makeBatch', () => {
  it('normalises the chosen images and copies their labels', () => {
    const batch = makeBatch(data.train, [5, 0, 63], plain);
    expect(batch.x).toBeInstanceOf(Float32Array);
    expect(batch.x.length).toBe(3 * SIZE);
    expect(Array.from(batch.y)).toEqual([data.train.labels[5], data.train.labels[0], data.train.labels[63]]);
    expect(close(batch.x.subarray(0, SIZE), reference(data.train, 5, 0, 0, false))).toBe(true);
    expect(close(batch.x.subarray(2 * SIZE), reference(data.train, 63, 0, 0, false))).toBe(true);
  });

  it('keeps the image when the crop offset is 4 (the centre of the padded image)', () => {
    // rng 0.5 → offset ⌊0.5 · 9⌋ = 4 on both axes, and no flip (0.5 is not below ½).
    const batch = makeBatch(data.train, [1, 2], { ...plain, crop: 4, flip: true, rng: script(0.5) });
    expect(close(batch.x, makeBatch(data.train, [1, 2], plain).x)).toBe(true);
  });

  it('crops a shifted window of the zero-padded image, as the reference does', () => {
    for (const [rowOffset, colOffset] of [
      [0, 8],
      [2, 7],
      [8, 0],
      [6, 3],
    ] as const) {
      const rng = script((rowOffset + 0.5) / 9, (colOffset + 0.5) / 9, 0.9);
      const batch = makeBatch(data.train, [9], { ...plain, crop: 4, flip: true, rng });
      expect(close(batch.x, reference(data.train, 9, rowOffset - 4, colOffset - 4, false))).toBe(true);
    }
  });

  it('flips left–right, and flipping a flipped image gives the image back', () => {
    const flipped = makeBatch(data.train, [3], { ...plain, flip: true, rng: script(0.1) });
    expect(close(flipped.x, reference(data.train, 3, 0, 0, true))).toBe(true);
    expect(close(flipped.x, makeBatch(data.train, [3], plain).x)).toBe(false);
    // The same image mirrored in its bytes, then flipped by makeBatch: the original.
    const mirrored = new Uint8Array(SIZE);
    for (let i = 0; i < 32; i++)
      for (let j = 0; j < 32; j++)
        for (let c = 0; c < 3; c++)
          mirrored[(i * 32 + j) * 3 + c] = data.train.images[3 * SIZE + (i * 32 + 31 - j) * 3 + c]!;
    const twice = makeBatch({ images: mirrored, labels: new Uint8Array([0]), count: 1 }, [0], {
      ...plain,
      flip: true,
      rng: script(0.1),
    });
    expect(close(twice.x, makeBatch(data.train, [3], plain).x)).toBe(true);
  });

  it('draws every offset from −4 to 4 on each axis and flips half the images', () => {
    // One white pixel left of the middle of a black image: where it lands tells the shift and the
    // flip (columns 4–12 unflipped, 19–27 flipped).
    const images = new Uint8Array(SIZE);
    images[(16 * 32 + 8) * 3] = 255;
    const dot = { images, labels: new Uint8Array([0]), count: 1 };
    const options = { shape: SHAPE, mean: [0, 0, 0], std: [1, 1, 1], crop: 4, flip: true, rng: mulberry32(42) };
    const shifts = new Map<string, number>();
    const draws = 8100;
    const batch = makeBatch(dot, new Array<number>(draws).fill(0), options);
    for (let n = 0; n < draws; n++) {
      const at = batch.x.subarray(n * SIZE, (n + 1) * SIZE).findIndex((v, k) => v > 0.5 && k % 3 === 0) / 3;
      const [i, j] = [Math.floor(at / 32), at % 32];
      const key = `${16 - i},${j}`;
      shifts.set(key, (shifts.get(key) ?? 0) + 1);
    }
    // 9 row shifts × 9 column shifts × flipped or not: 162 places, about 50 draws each.
    const rows = new Set([...shifts.keys()].map((k) => k.split(',')[0]));
    const columns = new Set([...shifts.keys()].map((k) => k.split(',')[1]));
    expect(rows.size).toBe(9);
    expect(columns.size).toBe(18);
    const flipped = [...shifts].filter(([k]) => Number(k.split(',')[1]) > 15).reduce((n, [, v]) => n + v, 0);
    expect(Math.abs(flipped / draws - 0.5)).toBeLessThan(0.03);
    expect(Math.min(...shifts.values())).toBeGreaterThan(20);
    expect(Math.max(...shifts.values())).toBeLessThan(90);
  });

  it('gives each channel mean 0 and std 1 over the whole set', () => {
    const all = Array.from({ length: data.train.count }, (_, i) => i);
    const { x } = makeBatch(data.train, all, plain);
    for (let c = 0; c < 3; c++) {
      let [sum, squares, n] = [0, 0, 0];
      for (let k = c; k < x.length; k += 3) [sum, squares, n] = [sum + x[k]!, squares + x[k]! ** 2, n + 1];
      expect(sum / n).toBeCloseTo(0, 4);
      expect(Math.sqrt(squares / n - (sum / n) ** 2)).toBeCloseTo(1, 4);
    }
  });

  it('is repeatable with the same seed, and refuses what it cannot do', () => {
    const augmented = (seed: number) =>
      makeBatch(data.train, [0, 1, 2, 3], { ...plain, crop: 4, flip: true, rng: mulberry32(seed) }).x;
    expect(close(augmented(1), augmented(1))).toBe(true);
    expect(close(augmented(1), augmented(2))).toBe(false);
    expect(() => makeBatch(data.train, [64], plain)).toThrow(/outside/);
    expect(() => makeBatch(data.train, [0], { ...plain, crop: 4 })).toThrow(/rng/);
    expect(() => makeBatch(data.train, [0], { ...plain, shape: [28, 28, 1], mean: [0], std: [1] })).toThrow(
      /pixel bytes/,
    );
  });

  it('never shifts a sequence along its height of 1', () => {
    const seq = synthetic({ shape: [1, 20, 2], classes: 3, trainCount: 6, testCount: 1, seed: 1 });
    const options = { shape: seq.shape, mean: seq.mean, std: seq.std, crop: 4, flip: false, rng: script(0.5, 0.5) };
    const same = makeBatch(seq.train, [0, 1], options);
    expect(close(same.x, makeBatch(seq.train, [0, 1], { ...options, crop: 0 }).x)).toBe(true);
  });

  it('batcherFor augments training batches only', () => {
    const batcher = batcherFor(data, { crop: 4, flip: true }, mulberry32(3));
    const evaluation = batcher(data.test, [0, 1], false);
    expect(close(evaluation.x, makeBatch(data.test, [0, 1], plain).x)).toBe(true);
    expect(close(batcher(data.train, [0, 1, 2, 3], true).x, makeBatch(data.train, [0, 1, 2, 3], plain).x)).toBe(false);
  });
});

describe('epoch order', () => {
  it('visits every image once per epoch, in a new order each epoch, the same for the same seed', () => {
    const rng = mulberry32(9);
    const first = epochBatches(100, 32, rng);
    const second = epochBatches(100, 32, rng);
    expect(first.map((b) => b.length)).toEqual([32, 32, 32]);
    expect(new Set(first.flatMap((b) => Array.from(b))).size).toBe(96);
    expect(Array.from(first[0]!)).not.toEqual(Array.from(second[0]!));
    expect(epochBatches(100, 32, mulberry32(9), false).map((b) => b.length)).toEqual([32, 32, 32, 4]);
    expect(epochBatches(10, 32, rng).map((b) => b.length)).toEqual([10]);
    expect(Array.from(permutation(50, mulberry32(9)))).toEqual(Array.from(permutation(50, mulberry32(9))));
    expect(Array.from(permutation(50, mulberry32(9))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('shuffles without bias: each index lands in each place about equally often', () => {
    const rng = mulberry32(1);
    const counts = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
    for (let t = 0; t < 20_000; t++) permutation(5, rng).forEach((index, place) => counts[index]![place]!++);
    for (const row of counts) for (const n of row) expect(Math.abs(n - 4000)).toBeLessThan(300);
  });
});
