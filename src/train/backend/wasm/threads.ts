import { wasmLabel, type WasmLayoutAsked } from '../../protocol';

/**
 * How WASM uses the machine's cores. Two ways, combined:
 * - workers: the training worker and helpers (src/train/parallel), each with a model of its own,
 *   each computing a share of every batch (data parallel, src/train/loop/shares.ts). This needs
 *   only Web Workers started from the training worker, and parallelises the whole step;
 * - threads: tfjs-backend-wasm's threaded build runs XNNPACK's convolutions and matrix products on
 *   a pool of threads (Web Workers sharing the WASM memory); everything else in a step stays on
 *   one thread. Browsers allow the shared memory only in a cross-origin isolated page, one served
 *   with
 *     Cross-Origin-Opener-Policy: same-origin
 *     Cross-Origin-Embedder-Policy: require-corp
 *   (the dev and preview servers send both; the built site's service worker adds them: src/pwa).
 *
 * Measured on 2 cores (ResNet-20, batch 64, Chromium): one worker on 2 threads 121–171 images/s;
 * 2 workers, one thread each, about 220 (one worker, one thread: about 128 in Node). So a machine
 * runs 2 workers, and gives each half the threads (isolated pages only). On one thread the
 * convolutions are our SIMD loops (convolution.ts), on several the package's threaded ones.
 */

export interface WasmLayout {
  /** Workers computing a share of each batch, the training worker included. */
  readonly workers: number;
  /** XNNPACK threads in each worker, the worker's own included. */
  readonly threads: number;
  /** What the backend list shows beside "works". */
  readonly note: string;
}

/** Threaded WASM needs SharedArrayBuffer, which browsers hand out only to isolated pages. */
const isolated = (): boolean =>
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true &&
  typeof SharedArrayBuffer !== 'undefined';

/** Helpers and threads are Web Workers started from the training worker (older Safari had none there). */
const nestedWorkers = (): boolean => typeof (globalThis as { Worker?: unknown }).Worker === 'function';

/**
 * Threads for `logicalCores` (navigator.hardwareConcurrency): every core on a machine of up to
 * four, half the logical cores (one per physical core where each has two hyperthreads) on bigger
 * ones, at most 8, the size of the package's pre-started pool.
 */
export function threadsFor(logicalCores: number): number {
  const cores = Math.max(1, Math.floor(logicalCores) || 1);
  return Math.min(8, Math.max(Math.min(cores, 4), Math.floor(cores / 2)));
}

/** Workers allowed where asked for, and threads in each. */
export const MAX_WORKERS = 4;
export const MAX_THREADS = 8;

const layout = (workers: number, threads: number, why?: string): WasmLayout => ({
  workers,
  threads,
  note: `${wasmLabel(workers, threads)}${why ? `: ${why}` : ''}`,
});

/**
 * The layout for this machine and page: 2 workers where the training worker can start workers and
 * there are 2 cores or more, each with half the threads threadsFor gives (more than one only in an
 * isolated page); `asked` (workers × threads) instead where given, still one thread where the page
 * is not isolated.
 */
export function wasmLayout(asked?: WasmLayoutAsked): WasmLayout {
  if (!nestedWorkers()) return layout(1, 1, 'this browser cannot start workers from the training worker');
  const cores = Math.max(1, Math.floor(globalThis.navigator?.hardwareConcurrency ?? 1) || 1);
  if (asked) {
    const workers = Math.min(MAX_WORKERS, Math.max(1, Math.floor(asked.workers) || 1));
    const threads = Math.min(MAX_THREADS, Math.max(1, Math.floor(asked.threads) || 1));
    if (threads > 1 && !isolated())
      return layout(workers, 1, 'this page is not cross-origin isolated, which WASM threads need');
    return layout(workers, threads, 'as the address asks');
  }
  if (cores === 1) return layout(1, 1, 'this machine has one core');
  const threads = Math.max(1, Math.floor(threadsFor(cores) / 2));
  if (threads > 1 && !isolated()) return layout(2, 1, 'more threads need a cross-origin isolated page');
  return layout(2, threads);
}

/**
 * Runs `start` (tf.setBackend('wasm')) so that the module sizes its pool for `threads`: the
 * package caps the pool at navigator.hardwareConcurrency / 2, read once as the module starts,
 * which gives a 2-core machine without hyperthreads a single thread. For that start only, the
 * worker's navigator reports twice the threads wanted; the package's setThreadsCount then asks
 * for exactly `threads`.
 */
export async function startWithThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as { hardwareConcurrency?: number } | undefined;
  if (threads <= 1 || !nav) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await start();
  } finally {
    // The own property shadowed the prototype's getter; removing it brings the real value back.
    delete nav.hardwareConcurrency;
  }
}
