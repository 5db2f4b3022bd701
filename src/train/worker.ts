/// <reference lib="webworker" />
import { chooseBackend } from './backend/choose';
import { batcher, loadData } from './load-data';
import { buildModel } from './model/build';
import { WorkerHelpers } from './parallel/helpers';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';

/**
 * The training worker: one listener, one session. Each message is handed over as it comes, not
 * after the last one's work: pause, resume and stop reach a running session between two steps,
 * and stop aborts a download at once.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new Session(
  (message: FromWorker, transfer?: Transferable[]) => scope.postMessage(message, transfer ?? []),
  {
    chooseBackend,
    loadData,
    buildModel,
    batcher,
    startHelpers: (count, init) => WorkerHelpers.start(count, init),
  },
);

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  void session.handle(event.data);
});
