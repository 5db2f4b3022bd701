import type { Batch, Helpers, ShareResult } from '../loop/shares';
import type { FromHelper, HelperInit, ToHelper } from './protocol';

/** A helper that has not answered `init` by then is given up on (a WASM fetch that hangs). */
export const HELPER_START_MS = 30_000;

/**
 * The training worker's side of its helper workers (helper.ts): starts them, hands each its
 * share of every step and collects the results. A helper that fails fails the step it was in,
 * with its message.
 */
export class WorkerHelpers implements Helpers {
  private step = 0;
  private readonly waiting = new Map<Worker, { resolve(r: ShareResult): void; reject(e: Error): void }>();
  private failure: Error | null = null;

  private constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.addEventListener('message', (event: MessageEvent<FromHelper>) => this.answer(worker, event.data));
      worker.addEventListener('error', (event) => this.fail(new Error(event.message || 'a helper worker failed')));
    }
  }

  /** Starts `count` helpers and builds the model in each; rejects with why one could not. */
  static async start(count: number, init: HelperInit): Promise<WorkerHelpers> {
    const workers = Array.from(
      { length: count },
      () => new Worker(new URL('./helper.ts', import.meta.url), { type: 'module', name: 'convscope-helper' }),
    );
    try {
      await Promise.all(workers.map((worker) => ready(worker, init)));
    } catch (e) {
      workers.forEach((w) => w.terminate());
      throw e;
    }
    return new WorkerHelpers(workers);
  }

  get count(): number {
    return this.workers.length;
  }

  compute(weights: Float32Array, shares: readonly Batch[]): Promise<ShareResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const step = ++this.step;
    return Promise.all(
      shares.map(
        (share, i) =>
          new Promise<ShareResult>((resolve, reject) => {
            const worker = this.workers[i] as Worker;
            this.waiting.set(worker, { resolve, reject });
            // The last helper may take the weights' buffer; the others get copies.
            const own = i === shares.length - 1 ? weights : weights.slice();
            const message: ToHelper = { type: 'share', step, weights: own, x: share.x, y: share.y };
            worker.postMessage(message, [own.buffer, share.x.buffer, share.y.buffer]);
          }),
      ),
    );
  }

  terminate(): void {
    this.fail(new Error('the run ended'));
    this.workers.forEach((w) => w.terminate());
  }

  private answer(worker: Worker, message: FromHelper): void {
    const waiting = this.waiting.get(worker);
    if (message.type === 'error') return this.fail(new Error(message.message));
    if (message.type !== 'share' || !waiting || message.step !== this.step) return;
    this.waiting.delete(worker);
    waiting.resolve(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}

/** Sends `init` and waits for the helper's answer. */
function ready(worker: Worker, init: HelperInit): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`a helper worker did not start within ${HELPER_START_MS / 1000} s`)),
      HELPER_START_MS,
    );
    const done = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (event: MessageEvent<FromHelper>) => {
      if (event.data.type === 'ready') done();
      else if (event.data.type === 'error') done(new Error(event.data.message));
    };
    const onError = (event: ErrorEvent) => done(new Error(event.message || 'a helper worker failed to load'));
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    const message: ToHelper = { type: 'init', ...init };
    worker.postMessage(message);
  });
}
