/**
 * The weights a model file holds, read on demand. Only types live here (this module is in the
 * first-paint bundle); the code that reads and reorders tensors is in the lazily loaded readers
 * (`keras/files/trained-kernels.ts`).
 */

/** A convolution kernel as the Weights view draws it: filters × input channels × taps. */
export interface KernelRequest {
  readonly kind: 'conv' | 'depthwise' | 'pointwise' | 'transposed';
  readonly filters: number;
  readonly channels: number;
  readonly groups: number;
  /** Taps per spatial axis: [k] or [kH, kW]. */
  readonly kernel: readonly number[];
}

/** Where a kernel lies among a top-level layer's weights, and the shape the model now gives it. */
export interface KernelAddress {
  /** The top-level layer whose weight list (Keras order) holds the tensor. */
  readonly layer: string;
  /** "conv1", or "block/conv1" inside a block: names the kernel in messages. */
  readonly path: string;
  readonly index: number;
  /** The kernel's Keras shape in the model as it is now (edits may have changed it). */
  readonly kerasShape: readonly number[];
  /** A name inside a nested model the file may use for this tensor: `conv1/kernel:0`. */
  readonly innerName?: string;
}

/**
 * A kernel's values in the view's order, index ((filter × depth) + channel in group) × taps + tap
 * (taps row-major), with the range they span; or why the file's values cannot be shown.
 */
export type TrainedKernel =
  | { readonly ok: true; readonly values: Float32Array; readonly min: number; readonly max: number }
  | { readonly ok: false; readonly why: string };

export interface FileWeightSource {
  /** The file's name as the person gave it: hostile text, shown only as text. */
  readonly fileName: string;
  /** The kernel's values; null when the file holds no weights for that layer. */
  kernel(address: KernelAddress, request: KernelRequest): TrainedKernel | null;
}
