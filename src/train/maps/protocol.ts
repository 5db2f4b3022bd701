import type { Model } from '../../engine/model/model';

/**
 * The messages between the page and the feature-map worker, which runs the model on one image
 * (random initial weights) and sends back each layer's first channels. One listener a side; each
 * request has an id and a newer one makes older answers stale.
 */

/** One image, already at the model's input size: height × width × channels, channels last, 0–255. */
export interface MapsImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
}

/** One layer's output: its shape, how many channels it has and the first few, each with its range. */
export interface LayerMaps {
  /** The engine's id: a top-level name, or `block/inner`. */
  readonly id: string;
  /** One example's output shape, channels last. */
  readonly shape: readonly number[];
  /** Channels in the output (1 for a vector). */
  readonly channels: number;
  /** Height and width of each map (a vector is 1 × length, a sequence's channel 1 × steps). */
  readonly height: number;
  readonly width: number;
  /** The first channels, each height × width, row-major. */
  readonly maps: readonly Float32Array[];
}

export type ToMaps = {
  readonly type: 'run';
  readonly id: number;
  readonly model: Model;
  readonly image: MapsImage;
  /** Channels sent per layer at most. */
  readonly maxChannels: number;
};

export type FromMaps =
  | { readonly type: 'maps'; readonly id: number; readonly layers: readonly LayerMaps[]; readonly ms: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
