/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { activations } from './activations';
import type { FromMaps, ToMaps } from './protocol';

/**
 * The feature-map worker: one listener; runs the model on the CPU backend (one image needs no
 * GPU, and the CPU backend starts at once everywhere) off the page's thread, so the tab never
 * freezes. Maps travel as transferred buffers.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const ready = tf.setBackend('cpu');

scope.addEventListener('message', (event: MessageEvent<ToMaps>) => {
  void run(event.data);
});

async function run(message: ToMaps): Promise<void> {
  const post = (reply: FromMaps, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
  try {
    await ready;
    const start = performance.now();
    const layers = activations(message.model, message.image, message.maxChannels);
    const transfer = layers.flatMap((l) => l.maps.map((m) => m.buffer));
    post({ type: 'maps', id: message.id, layers, ms: performance.now() - start }, transfer);
  } catch (e) {
    post({ type: 'error', id: message.id, message: e instanceof Error ? e.message : String(e) });
  }
}
