import * as tf from '@tensorflow/tfjs';
import { startWithThreads } from './threads';

/** Wraps tf.setBackend('wasm') (see startWithThreads). */
export type Around = <T>(start: () => Promise<T>) => Promise<T>;

/**
 * Loads tfjs-backend-wasm and sets it up to run on `threads` threads with our kernels; returns
 * how to wrap tf.setBackend('wasm') so that its pool gets them. The training worker (choose.ts)
 * and its helpers (src/train/parallel) start WASM through this.
 */
export async function prepareWasm(threads: number): Promise<Around> {
  // Where the binaries are, before anything initialises the backend: tf.findBackend('wasm')
  // would, and then fetched them next to the worker's script (the dev server answered with
  // its HTML page, and WASM was refused about one time in three).
  const [wasm, { WASM_PATHS }] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm'),
    tf.env().getBool('IS_BROWSER') ? import('./paths') : { WASM_PATHS: null },
  ]);
  if (threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(threads);
  if (WASM_PATHS) wasm.setWasmPaths({ ...WASM_PATHS });
  const { registerWasmTrainingKernels } = await import('./kernels');
  registerWasmTrainingKernels();
  return (start) => startWithThreads(threads, start);
}
