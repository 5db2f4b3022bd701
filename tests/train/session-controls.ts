import { expect } from 'vitest';
import { chooseBackend } from '../../src/train/backend/choose';
import { batcher, loadData } from '../../src/train/load-data';
import { DEFAULT_CONFIG } from '../../src/train/loop/config';
import { buildModel } from '../../src/train/model/build';
import type { BackendName, FromWorker, ToWorker } from '../../src/train/protocol';
import { Session } from '../../src/train/session';
import type { Model } from '../../src/engine/model/model';

/**
 * Pause and stop as the worker gets them: posted messages, each handled in a task of its own
 * (worker.ts hands `message` events to the session), while the session trains with steps queued
 * and read back only every report (REPORT_MS). The session yields to the message loop before
 * every step (loop/next-task.ts): a pause or stop posted meanwhile must be handled before the
 * next step starts, or at worst after the one under way, and so within one report. A yield that
 * is no task (a resolved promise) lets no message in until the run ends.
 */
const control = new MessageChannel();

export async function expectPauseAndStopBetweenSteps(model: Model, backend: BackendName): Promise<void> {
  let batches = 0;
  const posted: FromWorker[] = [];
  const waiting: { type: string; resolve: () => void }[] = [];
  const session = new Session(
    (m) => {
      posted.push(m);
      for (const w of waiting.filter((w) => w.type === m.type)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    {
      chooseBackend: () => chooseBackend(backend),
      loadData,
      buildModel,
      batcher: (data, seed) => {
        const make = batcher(data, seed);
        return (set, indices, augment) => {
          if (set === data.train) batches++;
          return make(set, indices, augment);
        };
      },
    },
  );
  const until = (type: FromWorker['type']) => new Promise<void>((resolve) => waiting.push({ type, resolve }));
  // What the session had trained when each control message was posted, and when it was handled.
  const log: { type: string; posted: number; handled: number }[] = [];
  control.port2.onmessage = (event: MessageEvent<ToWorker>) => {
    log.at(-1)!.handled = batches;
    void session.handle(event.data);
  };
  const send = (type: 'pause' | 'resume' | 'stop') => {
    log.push({ type, posted: batches, handled: -1 });
    control.port1.postMessage({ type });
  };
  const steps = () => posted.filter((m) => m.type === 'step').length;

  const run = session.handle({
    type: 'start',
    model,
    config: { ...DEFAULT_CONFIG, epochs: 100, batchSize: 4, augment: false, maxTrainSamples: 64, maxTestSamples: 8 },
    data: { dataset: 'synthetic' },
    backend,
    memoryBudget: 2 ** 30,
  });
  await until('step');
  const paused = until('paused');
  send('pause');
  await paused;
  const reportsAtPause = steps();
  const atPause = batches;
  await new Promise((r) => setTimeout(r, 500));
  // Nothing trains while paused, and at most the report of the step under way comes.
  expect(batches).toBe(atPause);
  expect(steps()).toBeLessThanOrEqual(reportsAtPause + 1);
  const resumed = until('step');
  send('resume');
  await resumed;
  send('stop');
  await run;
  expect(posted.filter((m) => m.type === 'error')).toEqual([]);
  expect(posted.filter((m) => m.type === 'done').map((m) => m.type === 'done' && m.stopped)).toEqual([true]);
  // Each message was handled before the step after the one under way when it was posted.
  for (const { type, posted: at, handled } of log) expect(handled - at, type).toBeLessThanOrEqual(1);
  // And the stop, the last one, ended the run: no step began after it was handled.
  expect(batches).toBe(log.at(-1)!.handled);
}
