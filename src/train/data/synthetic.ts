import type { Dataset, ImageSet } from '../types';
import { mulberry32, type Rng } from './random';
import { channelStats } from './stats';

/**
 * A data set made on the spot, for instant demos: each image is a noisy grating, stripes whose
 * direction and spacing give the class, at a random phase (position) and contrast per channel.
 * Direction and spacing are the same anywhere in the image, so a small convnet (which sees
 * patterns, not places) learns them in an epoch or two; the noise keeps it from being trivial.
 *
 * Images (height and width above 1): class c has direction π·(c mod m)/m and one of ⌈k/8⌉
 * spacings, m = ⌈k/⌈k/8⌉⌉ directions. Sequences (height or width 1, as [1, T, C] for a 1D model
 * over T steps of C features): class c is a sine of its own frequency, 0.05 to 0.45 cycles a step.
 */
export interface SyntheticOptions {
  /** [height, width, channels]; [1, T, C] for sequences. */
  readonly shape: readonly [number, number, number];
  /** At least 2. */
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly seed: number;
}

interface Wave {
  readonly name: string;
  /** Cycles per pixel along y and x. */
  readonly ky: number;
  readonly kx: number;
  /** How much one image's frequency may differ from the class's, ± half of it (relative). */
  readonly stretch: number;
}

const AMPLITUDE = 90;
const NOISE = 30;

export function synthetic(options: SyntheticOptions): Dataset {
  const { shape, classes, trainCount, testCount, seed } = options;
  const [height, width, channels] = shape;
  if (!(classes >= 2) || !Number.isInteger(classes))
    throw new Error(`synthetic: classes must be an integer ≥ 2, not ${classes}`);
  if (!(height >= 1 && width >= 1 && channels >= 1)) throw new Error(`synthetic: bad shape [${shape.join(', ')}]`);
  const waves = syntheticWaves(shape, classes);
  const rng = mulberry32(seed);
  const train = makeSet(waves, shape, trainCount, rng);
  const test = makeSet(waves, shape, testCount, rng);
  const { mean, std } = channelStats(train.images, channels);
  return {
    id: 'synthetic',
    name: `Synthetic stripes (${classes} classes, ${trainCount.toLocaleString('en')} training images)`,
    classes: waves.map((wave) => wave.name),
    shape: [height, width, channels],
    train,
    test,
    mean,
    std,
  };
}

/** Each class's nominal wave, before the per-image jitter: what a perfect classifier would look for. */
export function syntheticWaves(shape: readonly [number, number, number], classes: number): Wave[] {
  const [height, width] = shape;
  if (height === 1 || width === 1) {
    return Array.from({ length: classes }, (_, c) => {
      const f = 0.05 + (0.4 * c) / (classes - 1);
      // Within a tenth of the gap to the next class's frequency, so neighbours stay apart.
      const stretch = (0.2 * 0.4) / (classes - 1) / f;
      return { name: `${f.toFixed(2)} cycles/step`, ky: height === 1 ? 0 : f, kx: height === 1 ? f : 0, stretch };
    });
  }
  const spacings = Math.ceil(classes / 8);
  const directions = Math.ceil(classes / spacings);
  return Array.from({ length: classes }, (_, c) => {
    const angle = (Math.PI * (c % directions)) / directions;
    const level = Math.floor(c / directions);
    const f = spacings === 1 ? 0.18 : 0.1 + (0.2 * level) / (spacings - 1);
    const degrees = Math.round((angle * 180) / Math.PI);
    return {
      // Short: the confusion matrix and the sample captions show them.
      name: spacings === 1 ? `${degrees}°` : `${degrees}°, ${(1 / f).toFixed(1)} px`,
      ky: f * Math.sin(angle),
      kx: f * Math.cos(angle),
      stretch: 0.1,
    };
  });
}

/** Classes in turn (balanced; any first N mixed), each image jittered in direction, spacing, phase and contrast. */
function makeSet(waves: readonly Wave[], shape: readonly [number, number, number], count: number, rng: Rng): ImageSet {
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  const gains = new Float64Array(channels);
  const spread = Math.PI / Math.max(2, waves.length) / 6;
  for (let n = 0; n < count; n++) {
    const label = n % waves.length;
    const wave = waves[label] as Wave;
    labels[n] = label;
    const turn = (rng() - 0.5) * spread;
    const stretch = 1 + (rng() - 0.5) * wave.stretch;
    const [cos, sin] = [Math.cos(turn) * stretch, Math.sin(turn) * stretch];
    const ky = wave.ky * cos + wave.kx * sin;
    const kx = wave.kx * cos - wave.ky * sin;
    const phase = rng() * 2 * Math.PI;
    for (let c = 0; c < channels; c++) gains[c] = (0.5 + 0.5 * rng()) * (rng() < 0.5 ? -1 : 1);
    let o = n * size;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const s = Math.sin(2 * Math.PI * (ky * y + kx * x) + phase);
        for (let c = 0; c < channels; c++) {
          // Uniform noise in ±NOISE (σ ≈ 0.58·NOISE): one draw a value keeps a big set quick to make.
          const noise = (rng() - 0.5) * 2 * NOISE;
          images[o++] = Math.max(0, Math.min(255, Math.round(128 + AMPLITUDE * (gains[c] as number) * s + noise)));
        }
      }
  }
  return { images, labels, count };
}
