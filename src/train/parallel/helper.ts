/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../engine/analysis/analyze';
import { prepareWasm } from '../backend/wasm/start';
import { computeShare } from '../loop/shares';
import { buildModel } from '../model/build';
import type { FromHelper, ToHelper } from './protocol';

/**
 * A helper worker: started by the training worker (helpers.ts), it builds the run's model on
 * WASM, then computes one share of each batch with the weights it is sent.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let run: { model: tf.LayersModel; init: Extract<ToHelper, { type: 'init' }> } | null = null;

const post = (message: FromHelper, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

async function init(message: Extract<ToHelper, { type: 'init' }>): Promise<void> {
  const around = await prepareWasm(message.threads);
  if (!(await around(() => tf.setBackend('wasm')))) throw new Error('WASM did not start in the helper worker');
  const built = buildModel(analyzeModel(message.model), message.inputShape ? { inputShape: message.inputShape } : {});
  if (!built.ok) throw new Error(built.error);
  run = { model: built.model, init: message };
  post({ type: 'ready' });
}

function share(message: Extract<ToHelper, { type: 'share' }>): void {
  if (!run) throw new Error('the helper worker has no model');
  const { model, init } = run;
  const result = computeShare(
    model,
    message.weights,
    { x: message.x, y: message.y },
    init.shape,
    { labelSmoothing: init.labelSmoothing },
    init.probabilities,
  );
  post({ type: 'share', step: message.step, ...result }, [result.grads.buffer, result.state.buffer]);
}

scope.addEventListener('message', (event: MessageEvent<ToHelper>) => {
  const message = event.data;
  const handled = message.type === 'init' ? init(message) : Promise.resolve().then(() => share(message));
  handled.catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
});
