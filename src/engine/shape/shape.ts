/** A size along one axis; `null` when unknown (the model accepts any size there). */
export type Dim = number | null;

/** One example's tensor shape (batch axis excluded), in the model's own layout. */
export type Shape = readonly Dim[];

/**
 * Where channels sit. `channels_last` is Keras/TF's NHWC (the default here, as in Keras);
 * `channels_first` is PyTorch's NCHW. A model uses one layout throughout.
 */
export type DataFormat = 'channels_last' | 'channels_first';

/** A feature map split into its spatial axes and its channel count. */
export interface FeatureMap {
  readonly spatial: readonly Dim[];
  readonly channels: Dim;
}

/** Index of the channel axis in a per-example shape of `rank` axes. */
export function channelAxis(rank: number, format: DataFormat): number {
  return format === 'channels_last' ? rank - 1 : 0;
}

/** Index of spatial axis `i` in a per-example shape of `rank` axes. */
export function spatialAxis(i: number, format: DataFormat): number {
  return format === 'channels_last' ? i : i + 1;
}

/** Splits one example's shape into spatial axes and channels, per the layout. */
export function splitChannels(shape: Shape, format: DataFormat): FeatureMap {
  if (format === 'channels_last') {
    return { spatial: shape.slice(0, -1), channels: shape[shape.length - 1] ?? null };
  }
  return { spatial: shape.slice(1), channels: shape[0] ?? null };
}

/** The inverse of `splitChannels`. */
export function joinChannels(spatial: readonly Dim[], channels: Dim, format: DataFormat): Dim[] {
  return format === 'channels_last' ? [...spatial, channels] : [channels, ...spatial];
}

/** Product of the sizes, or `null` if any is unknown. The empty product is 1. */
export function elementCount(dims: readonly Dim[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Repeats a scalar `rank` times, or returns the tuple as an array. */
export function expand(value: number | readonly number[], rank: number): number[] {
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : [...value];
}
