import { threadsLabel } from '../protocol';

/**
 * WASM on every core: tfjs-backend-wasm's threaded build runs XNNPACK's convolutions and matrix
 * products on a pool of threads (Web Workers sharing the WASM memory). Browsers allow the shared
 * memory only in a cross-origin isolated page, one served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * (the dev and preview servers send both; the built site's service worker adds them: src/pwa).
 * Elsewhere (a first visit, an iframe whose host page is not isolated) the backend runs on one
 * thread and says why.
 */

export interface WasmThreads {
  /** XNNPACK threads, the training worker's own included. */
  readonly threads: number;
  /** What the backend list shows beside "works". */
  readonly note: string;
}

/** Threaded WASM needs SharedArrayBuffer, which browsers hand out only to isolated pages. */
const isolated = (): boolean =>
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true &&
  typeof SharedArrayBuffer !== 'undefined';

/** Its threads are Web Workers started from the training worker (older Safari had none there). */
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

const oneThread = (why: string): WasmThreads => ({ threads: 1, note: `${threadsLabel(1)}: ${why}` });

export function wasmThreads(): WasmThreads {
  if (!isolated()) return oneThread('this page is not cross-origin isolated, which WASM threads need');
  if (!nestedWorkers()) return oneThread('this browser cannot start workers from the training worker');
  const threads = threadsFor(globalThis.navigator?.hardwareConcurrency ?? 1);
  return threads === 1 ? oneThread('this machine has one core') : { threads, note: threadsLabel(threads) };
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
