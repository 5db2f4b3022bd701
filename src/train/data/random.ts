/**
 * Seeded randomness for data: the same seed gives the same shuffles, crops and flips, so a run
 * can be repeated and tests can pin what they check.
 */

/** A random number in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator, fast and well mixed
 * enough for shuffling and augmentation (not for cryptography).
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const randomInt = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** Shuffles in place (Fisher–Yates: every order equally likely) and returns the array. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const swap = array[i] as number;
    array[i] = array[j] as number;
    array[j] = swap;
  }
  return array;
}

/** 0 … count−1 in a random order: one epoch's visiting order. */
export const permutation = (count: number, rng: Rng): Uint32Array =>
  shuffleInPlace(
    Uint32Array.from({ length: count }, (_, i) => i),
    rng,
  );

/**
 * An epoch's batches of indices: a fresh random order of `count` images cut into batches of
 * `batchSize`; the last, smaller batch is dropped when `dropLast` (as PyTorch's
 * `DataLoader(drop_last=True)`), so every step sees the same batch size, unless it is the only one.
 */
export function epochBatches(count: number, batchSize: number, rng: Rng, dropLast = true): Uint32Array[] {
  const order = permutation(count, rng);
  const batches: Uint32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    if (end - start < batchSize && dropLast && start > 0) break;
    batches.push(order.subarray(start, end));
  }
  return batches;
}
