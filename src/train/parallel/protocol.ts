import type { Model } from '../../engine/model/model';

/**
 * The messages between the training worker and a helper worker (helper.ts), which computes a
 * share of each batch (src/train/loop/shares.ts) on a model of its own.
 */
export type ToHelper =
  | ({ readonly type: 'init' } & HelperInit)
  | {
      readonly type: 'share';
      readonly step: number;
      /** Every weight of the model (model.weights order), one after another. */
      readonly weights: Float32Array;
      readonly x: Float32Array;
      readonly y: Int32Array;
    };

/** What a helper builds and computes with for a run. */
export interface HelperInit {
  /** WASM threads in the helper. */
  readonly threads: number;
  /** The model to build (its input shape already set, as the training worker built it). */
  readonly model: Model;
  /** One example's input shape as the model reads it, and the one given to the build if any. */
  readonly shape: readonly number[];
  readonly inputShape?: readonly number[];
  readonly labelSmoothing: number;
  /** The model ends in softmax: the loss reads probabilities. */
  readonly probabilities: boolean;
}

export type FromHelper =
  | { readonly type: 'ready' }
  | {
      readonly type: 'share';
      readonly step: number;
      readonly grads: Float32Array;
      readonly state: Float32Array;
      readonly loss: number;
      readonly hits: number;
    }
  | { readonly type: 'error'; readonly message: string };
