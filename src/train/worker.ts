/// <reference lib="webworker" />
import { chooseBackend } from './backend/choose';
import { batcher, loadData } from './load-data';
import { buildModel } from './model/build';
import { WorkerHelpers } from './parallel/helpers';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';

/**
 * The training worker: one listener, one session. Messages are handled one at a time in order,
 * except pause, resume and stop, which must reach a running session between two steps.
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
