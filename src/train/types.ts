/**
 * Shapes shared by the trainer's parts: data sets (loaders → training loop) and the checks of a
 * built model against the engine (builder → panel).
 */

/** Labelled images in memory: uint8 pixels, height × width × channels per image (channels last), row-major. */
export interface ImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export type DatasetId = 'mnist' | 'cifar10' | 'synthetic';

export interface Dataset {
  readonly id: DatasetId;
  /** For people: "CIFAR-10 (10,000 training images)". */
  readonly name: string;
  readonly classes: readonly string[];
  /** One image: [height, width, channels]. */
  readonly shape: readonly [number, number, number];
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Per-channel mean and standard deviation of the training pixels scaled to 0–1, for normalisation. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Where the tfjs model differs from the engine's analysis: shown to the user before training, never hidden. */
export interface Mismatch {
  readonly layer: string;
  readonly what: 'shape' | 'params' | 'missing';
  readonly engine: string;
  readonly tfjs: string;
}
