import type { Dataset, ImageSet } from '../types';
import { randomInt, type Rng } from './random';

/**
 * Batches as the model reads them: uint8 images → normalised float32, with the augmentation of
 * He et al. 2016 (§4.2, CIFAR-10): "4 pixels are padded on each side, and a 32×32 crop is
 * randomly sampled from the padded image or its horizontal flip". The padding is black (byte 0)
 * before normalisation, as torchvision's `RandomCrop(32, padding=4)` before `Normalize` does,
 * so a padded pixel becomes −mean/std, the same as in the exported PyTorch training script.
 */
export interface BatchOptions {
  /** [height, width, channels] of one image (the data set's `shape`). */
  readonly shape: readonly [number, number, number];
  /** Per channel, of pixels scaled to 0–1. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Pad by this many pixels and crop back at a random offset; 0 for none. */
  readonly crop: number;
  /** Mirror left–right with probability ½. */
  readonly flip: boolean;
  /** Used only when cropping or flipping: per image, the row offset, the column offset, then the flip. */
  readonly rng?: Rng;
}

export interface Batch {
  /** N × height × width × channels, channels last, normalised: (pixel / 255 − mean) / std. */
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/** The images at `indices`, augmented when asked, as one batch. */
export function makeBatch(set: ImageSet, indices: ArrayLike<number>, options: BatchOptions): Batch {
  const [height, width, channels] = options.shape;
  const size = height * width * channels;
  if (set.images.length !== set.count * size)
    throw new Error(
      `makeBatch: ${set.images.length} pixel bytes are not ${set.count} images of [${options.shape.join(', ')}]`,
    );
  const lut = normaliser(options.mean, options.std, channels);
  const { crop, flip, rng } = options;
  if ((crop > 0 || flip) && !rng) throw new Error('makeBatch: cropping or flipping needs an rng');
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let n = 0; n < indices.length; n++) {
    const index = indices[n] as number;
    if (!(index >= 0 && index < set.count)) throw new Error(`makeBatch: index ${index} outside 0…${set.count - 1}`);
    y[n] = set.labels[index] as number;
    // An axis of length 1 (a sequence's height) is never shifted: the crop would leave nothing.
    const dy = crop > 0 && height > 1 && rng ? randomInt(rng, 2 * crop + 1) - crop : 0;
    const dx = crop > 0 && width > 1 && rng ? randomInt(rng, 2 * crop + 1) - crop : 0;
    const mirror = flip && rng ? rng() < 0.5 : false;
    writeImage(set.images, index * size, x, n * size, options.shape, dy, dx, mirror, lut);
  }
  return { x, y };
}

/**
 * `(byte / 255 − mean[c]) / std[c]` for every byte and channel, looked up rather than computed
 * per pixel: entry c·256 + byte. A channel with no spread (std 0) is only centred.
 */
export function normaliser(mean: readonly number[], std: readonly number[], channels: number): Float32Array {
  if (mean.length !== channels || std.length !== channels)
    throw new Error(`makeBatch: ${channels} channels but ${mean.length} means and ${std.length} standard deviations`);
  const lut = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    const m = mean[c] as number;
    const s = (std[c] as number) || 1;
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - m) / s;
  }
  return lut;
}

/**
 * One image, shifted by (dy, dx) (output pixel (i, j) is source pixel (i + dy, j + dx), black
 * outside: a crop at offset (crop + dy, crop + dx) of the padded image) and then mirrored.
 */
export function writeImage(
  source: Uint8Array,
  from: number,
  out: Float32Array,
  to: number,
  shape: readonly [number, number, number],
  dy: number,
  dx: number,
  mirror: boolean,
  lut: Float32Array,
): void {
  const [height, width, channels] = shape;
  const row = width * channels;
  for (let i = 0; i < height; i++) {
    const si = i + dy;
    const inside = si >= 0 && si < height;
    for (let j = 0; j < width; j++) {
      const sj = (mirror ? width - 1 - j : j) + dx;
      const o = to + i * row + j * channels;
      if (inside && sj >= 0 && sj < width) {
        const s = from + si * row + sj * channels;
        for (let c = 0; c < channels; c++) out[o + c] = lut[c * 256 + (source[s + c] as number)] as number;
      } else for (let c = 0; c < channels; c++) out[o + c] = lut[c * 256] as number;
    }
  }
}

/**
 * The batcher a training loop calls: `augment` for training batches (crop and flip as set
 * here), none for evaluation. The data set's shape and statistics are bound once.
 */
export function batcherFor(
  data: Pick<Dataset, 'shape' | 'mean' | 'std'>,
  augmentation: { readonly crop: number; readonly flip: boolean },
  rng: Rng,
): (set: ImageSet, indices: ArrayLike<number>, augment: boolean) => Batch {
  const base = { shape: data.shape, mean: data.mean, std: data.std, rng };
  return (set, indices, augment) =>
    makeBatch(set, indices, augment ? { ...base, ...augmentation } : { ...base, crop: 0, flip: false });
}
