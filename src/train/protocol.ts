import type { Model } from '../engine/model/model';
import type { TrainConfig } from './loop/config';
import type { EpochReport, StepReport } from './loop/train';
import type { DatasetId, Mismatch } from './types';

/**
 * The messages between the page and the training worker: one listener a side, every message a
 * `type`; step reports are small and throttled (never the whole history).
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** How the panel and messages name each backend. */
export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** Where the training images come from. CIFAR-10 needs the archive: a file the user chose, or a URL. */
export interface DataSource {
  readonly dataset: DatasetId;
  readonly file?: Blob;
  /** An absolute http(s) address (the page resolves a relative one against its own). */
  readonly url?: string;
  /** Give up a download after this long without data (30 s unless given). */
  readonly stallMs?: number;
}

export type ToWorker =
  | {
      readonly type: 'start';
      readonly model: Model;
      readonly config: TrainConfig;
      readonly data: DataSource;
      readonly backend?: BackendName;
      /** Bytes the run may use; a run estimated above it is refused before it starts. */
      readonly memoryBudget: number;
      /** How WASM runs, where asked (benchmarks and tests compare layouts); else what suits the machine. */
      readonly wasm?: WasmLayoutAsked;
    }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  /** Ends the run: a download at once, training after the step under way. */
  | { readonly type: 'stop' }
  /** Each layer's output for test image `image` of the last run's data (feature maps). */
  | { readonly type: 'inspect'; readonly image: number }
  /** The trained model in tfjs' format (model.json and weights), or saved in IndexedDB under `key`. */
  | { readonly type: 'export' }
  | { readonly type: 'save'; readonly key: string }
  | { readonly type: 'load'; readonly key: string; readonly model: Model };

export type Phase = 'backend' | 'data' | 'model' | 'training' | 'evaluating';

export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** Why it was refused. */
  readonly reason?: string;
  /** How it runs, when it works: WASM's workers and threads, and why not more. */
  readonly note?: string;
  /** WASM's workers (each computes a share of every batch), when it works. */
  readonly workers?: number;
  /** WASM's threads in each worker, when it works. */
  readonly threads?: number;
}

/** A WASM layout asked for: workers sharing each batch, and threads in each. */
export interface WasmLayoutAsked {
  readonly workers: number;
  readonly threads: number;
}

/** A WASM layout as the Train panel words it: "one thread", "2 workers, one thread each", "2 workers × 2 threads". */
export function wasmLabel(workers: number, threads: number): string {
  const each = threads === 1 ? 'one thread' : `${threads} threads`;
  if (workers <= 1) return each;
  return threads === 1 ? `${workers} workers, one thread each` : `${workers} workers × ${each}`;
}

/** Up to 16 test images with their labels and the trained model's predictions. */
export interface Samples {
  readonly shape: readonly [number, number, number];
  readonly pixels: Uint8Array;
  readonly labels: readonly number[];
  readonly predicted: readonly number[];
  readonly confidence: readonly number[];
}

/** The first convolution's kernel, PyTorch order (out × in × kH × kW), for drawing. */
export interface Filters {
  readonly layer: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface FeatureMap {
  readonly layer: string;
  /** One example's output shape, channels last. */
  readonly shape: readonly number[];
  /** The first channels (at most 8), each H×W (or length), row-major. */
  readonly channels: readonly Float32Array[];
}

export type FromWorker =
  | {
      readonly type: 'phase';
      readonly phase: Phase;
      readonly detail: string;
      /** 0–1, where the size of the work is known. */
      readonly progress?: number;
      /** Bytes of the data set read or downloaded so far, and of all of it where known. */
      readonly loaded?: number;
      readonly total?: number;
    }
  | { readonly type: 'backend'; readonly name: BackendName; readonly tried: readonly BackendAttempt[] }
  | {
      readonly type: 'model';
      readonly params: number;
      readonly mismatches: readonly Mismatch[];
      readonly memory: number | null;
      readonly classes: readonly string[];
      readonly dataset: string;
    }
  | ({ readonly type: 'step'; readonly firstStepSeconds?: number } & StepReport)
  | ({ readonly type: 'epoch' } & EpochReport)
  | {
      readonly type: 'done';
      readonly stopped: boolean;
      readonly testAccuracy: number | null;
      readonly confusion: readonly (readonly number[])[] | null;
      readonly seconds: number;
      readonly imagesPerSecond: number;
      readonly backend: BackendName;
      readonly samples: Samples | null;
      readonly filters: Filters | null;
    }
  | { readonly type: 'paused'; readonly paused: boolean }
  | {
      readonly type: 'features';
      readonly image: number;
      readonly maps: readonly FeatureMap[];
      readonly pixels: Uint8Array;
    }
  | { readonly type: 'exported'; readonly files: readonly { name: string; data: ArrayBuffer | string }[] }
  /** Weights saved to (or, `loaded`, put back from) IndexedDB under `key`. */
  | { readonly type: 'saved'; readonly key: string; readonly loaded: boolean }
  | { readonly type: 'error'; readonly message: string }
  /** The run was stopped before training began (a download cut off by Stop): nothing was trained. */
  | { readonly type: 'stopped'; readonly detail: string };
