import type { FromWorker, ToWorker } from './protocol';

/**
 * The page's side of the training worker: one worker, started on first use, one listener.
 * Files (a CIFAR-10 archive) travel to the worker as Blobs, which are not copied.
 */
export class TrainerClient {
  private worker: Worker | null = null;

  constructor(private readonly listener: (message: FromWorker) => void) {}

  send(message: ToWorker): void {
    this.start().postMessage(message);
  }

  /** Ends the worker and everything in it (a stuck backend, a page leaving). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'convscope-trainer' });
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.listener(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.listener({
        type: 'error',
        message: `The training worker stopped: ${event.message || 'it could not start'}.`,
      });
      this.terminate();
    });
    this.worker = worker;
    return worker;
  }
}
