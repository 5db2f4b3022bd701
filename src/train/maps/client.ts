import type { Model } from '../../engine/model/model';
import type { FromMaps, LayerMaps, MapsImage, ToMaps } from './protocol';

export type MapsAnswer = { ok: true; layers: readonly LayerMaps[]; ms: number } | { ok: false; message: string };

/**
 * The page's side of the feature-map worker: started on first use; a new request makes the
 * previous one's answer stale (it is dropped), and a run still going when the next one is asked
 * for is cut short by restarting the worker, so a slow model never queues work behind it.
 */
export class MapsClient {
  private worker: Worker | null = null;
  private latest = 0;
  private busy = false;

  constructor(private readonly listener: (answer: MapsAnswer) => void) {}

  run(model: Model, image: MapsImage, maxChannels: number): void {
    if (this.busy) this.terminate();
    const message: ToMaps = { type: 'run', id: ++this.latest, model, image, maxChannels };
    this.busy = true;
    this.start().postMessage(message);
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'convscope-maps' });
    worker.addEventListener('message', (event: MessageEvent<FromMaps>) => {
      const reply = event.data;
      if (reply.id !== this.latest) return;
      this.busy = false;
      this.listener(
        reply.type === 'maps'
          ? { ok: true, layers: reply.layers, ms: reply.ms }
          : { ok: false, message: reply.message },
      );
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.busy = false;
      this.listener({
        ok: false,
        message: `The feature-map worker stopped: ${event.message || 'it could not start'}.`,
      });
      this.terminate();
    });
    this.worker = worker;
    return worker;
  }
}
