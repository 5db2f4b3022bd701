import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetModel } from '../../src/presets/index';
import { parseProject } from '../../src/io/project/format';
import { chooseBackend } from '../../src/train/backend/choose';
import { batcher, loadData } from '../../src/train/load-data';
import { DEFAULT_CONFIG } from '../../src/train/loop/config';
import { buildModel } from '../../src/train/model/build';
import type { FromWorker, ToWorker } from '../../src/train/protocol';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { HelperInit } from '../../src/train/parallel/protocol';
import { Session, type RunHelpers } from '../../src/train/session';
import { stepBytes, stepMemory } from '../../src/train/batch-size';
import { LocalHelpers } from './loop/local-helpers';
import { smallCifar } from './data/archives';
import { dribble, slowServer, type SlowServer } from './data/slow-server';

const tiny = (() => {
  const read = parseProject(
    JSON.parse(readFileSync(new URL('../fixtures/train/tiny-cnn.json', import.meta.url), 'utf8')),
  );
  if (!read.ok) throw new Error(read.error);
  return read.model;
})();

/**
 * A toolkit whose WASM runs on 2 workers, the helper computed in this thread (as helper.ts does,
 * from the init it is sent); `fail` makes the helpers' start fail.
 */
function twoWorkers(fail = false) {
  const log = { started: [] as number[], computed: 0, terminated: 0 };
  const toolkit = {
    chooseBackend: async (...args: Parameters<typeof chooseBackend>) => {
      const chosen = await chooseBackend(...args);
      const tried = chosen.tried.map((t) =>
        t.ok && t.name === 'wasm' ? { ...t, workers: 2, threads: 1, note: '2 workers, one thread each' } : t,
      );
      return { ...chosen, tried };
    },
    startHelpers: async (count: number, init: HelperInit): Promise<RunHelpers> => {
      log.started.push(count);
      if (fail) throw new Error('no workers here');
      const models = Array.from({ length: count }, () => {
        const built = buildModel(analyzeModel(init.model), init.inputShape ? { inputShape: init.inputShape } : {});
        if (!built.ok) throw new Error(built.error);
        return built.model;
      });
      const local = new LocalHelpers(models, init.shape, init, init.probabilities);
      return {
        count,
        compute: (weights, shares) => (log.computed++, local.compute(weights, shares)),
        terminate: () => (log.terminated++, models.forEach((m) => m.dispose())),
      };
    },
  };
  return { toolkit, log };
}

/** A session on WASM that records what it posts; `until` resolves at the first message of a type. */
function session(toolkit: Partial<ConstructorParameters<typeof Session>[1]> = {}) {
  const messages: FromWorker[] = [];
  const waiting: { type: string; resolve: (m: FromWorker) => void }[] = [];
  const s = new Session(
    (m) => {
      messages.push(m);
      for (const w of waiting.filter((w) => w.type === m.type)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(m);
      }
    },
    { chooseBackend, loadData, buildModel, batcher, ...toolkit },
  );
  const until = (type: FromWorker['type']) => new Promise<FromWorker>((resolve) => waiting.push({ type, resolve }));
  return { s, messages, until };
}

const start = (config: Partial<typeof DEFAULT_CONFIG>, extra: Partial<Extract<ToWorker, { type: 'start' }>> = {}) =>
  ({
    type: 'start',
    model: tiny,
    config: { ...DEFAULT_CONFIG, augment: false, ...config },
    data: { dataset: 'synthetic' },
    backend: 'wasm',
    memoryBudget: 2 ** 30,
    ...extra,
  }) as const;

const ofType = <T extends FromWorker['type']>(messages: FromWorker[], type: T) =>
  messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);

describe('a training session in the worker', () => {
  it('trains with no tensor leak: the same number of tensors after every epoch, and none left by a second run', async () => {
    const { s, messages } = session();
    await s.handle(start({ epochs: 4, batchSize: 32, maxTrainSamples: 256, maxTestSamples: 64 }));
    const epochs = ofType(messages, 'epoch');
    expect(ofType(messages, 'error')).toEqual([]);
    expect(epochs).toHaveLength(4);
    expect(new Set(epochs.map((e) => e.tensors)).size).toBe(1);
    expect(epochs[3]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
    const after = tf.memory().numTensors;
    await s.handle(start({ epochs: 1, batchSize: 32, maxTrainSamples: 64, maxTestSamples: 32 }));
    // The first run's model was replaced by the second's, of the same size.
    expect(tf.memory().numTensors).toBe(after);
  });

  it('pauses, resumes and stops between two steps', async () => {
    const { s, messages, until } = session();
    const run = s.handle(start({ epochs: 50, batchSize: 8, maxTrainSamples: 512, maxTestSamples: 16 }));
    await until('step');
    const paused = until('paused');
    await s.handle({ type: 'pause' });
    await paused;
    const stepsAtPause = ofType(messages, 'step').at(-1)!;
    await new Promise((r) => setTimeout(r, 400));
    // At most the step under way when the pause came is reported; then nothing.
    const later = ofType(messages, 'step').at(-1)!;
    expect(later.step + (later.epoch - stepsAtPause.epoch) * later.stepsPerEpoch).toBeLessThanOrEqual(
      stepsAtPause.step + 1,
    );
    const frozen = messages.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(messages.length).toBe(frozen);
    const resumed = until('step');
    await s.handle({ type: 'resume' });
    await resumed;
    await s.handle({ type: 'stop' });
    await run;
    const done = ofType(messages, 'done')[0]!;
    expect(done.stopped).toBe(true);
    expect(ofType(messages, 'epoch').length).toBeLessThan(50);
  });

  it('stops a run whose loss becomes NaN or infinite, and says so in the panel instead of training on', async () => {
    const { s, messages } = session();
    await s.handle(start({ epochs: 20, batchSize: 32, maxTrainSamples: 256, maxTestSamples: 32, learningRate: 1e30 }));
    const error = ofType(messages, 'error')[0]!;
    expect(error.message).toMatch(
      /^Training stopped: the loss became .+ by step \d+ of 8 in epoch 1, .*10 times smaller/,
    );
    expect(ofType(messages, 'epoch')).toEqual([]);
    expect(ofType(messages, 'done')).toEqual([]);
  });

  it('refuses a run that would not fit in memory, with the numbers and a smaller batch', async () => {
    const { s, messages } = session();
    await s.handle(start({ batchSize: 512 }, { model: presetModel('resnet20-a'), memoryBudget: 200e6 }));
    const error = ofType(messages, 'error')[0]!;
    // ResNet-20 holds ≈ 16 MB an image in a step (5 MB of outputs and gradients × 3.2): 11 fit in 200 MB.
    expect(error.message).toMatch(
      /needs about [\d.]+ GB \(activations [\d.]+ GB for a batch of 512, .*\); the limit here is 190\.73 MB\. Try a batch of 8 or fewer\./,
    );
    expect(ofType(messages, 'step')).toEqual([]);
  });

  it('starts a run at the largest batch the budget allows and refuses one more, as the plan and the suggestion count', async () => {
    const memory = stepMemory(analyzeModel(tiny), 'sgd')!;
    const budget = stepBytes(memory, 16);
    const small = { epochs: 1, maxTrainSamples: 32, maxTestSamples: 16, optimizer: 'sgd' } as const;
    const over = session();
    await over.s.handle(start({ ...small, batchSize: 17 }, { memoryBudget: budget }));
    expect(ofType(over.messages, 'error')[0]!.message).toMatch(/Try a batch of 16 or fewer\./);
    const fits = session();
    await fits.s.handle(start({ ...small, batchSize: 16 }, { memoryBudget: budget }));
    expect(ofType(fits.messages, 'error')).toEqual([]);
    // The panel's "A step needs about …" is the same estimate the check used.
    expect(ofType(fits.messages, 'model')[0]!.memory).toBe(budget);
    expect(ofType(fits.messages, 'done')).toHaveLength(1);
  });

  it('says how to make the model fit the data set', async () => {
    const { s, messages } = session();
    await s.handle(start({}, { model: presetModel('resnet20-a'), data: { dataset: 'mnist' } }));
    expect(ofType(messages, 'error')[0]!.message).toMatch(
      /takes 32×32×3 inputs .* MNIST.* 28×28×1: change the Input layer's shape to 28, 28, 1/,
    );
  });

  it('refuses a 3-D (volume) model by naming its layer and shape, before loading any data', async () => {
    const read = parseProject({
      format: 'convscope.model',
      version: 1,
      layers: [
        { name: 'clip', type: 'Input', shape: [8, 16, 16, 1] },
        { name: 'conv3d_1', type: 'Conv3D', filters: 4, kernelSize: 3 },
        { name: 'gap', type: 'GlobalAveragePooling3D' },
        { name: 'out', type: 'Dense', units: 10 },
      ],
    });
    if (!read.ok) throw new Error(read.error);
    for (const dataset of ['synthetic', 'mnist'] as const) {
      const { s, messages } = session();
      await s.handle(start({}, { model: read.model, data: { dataset } }));
      expect(ofType(messages, 'error')[0]!.message).toBe(
        "Conv3D 'conv3d_1' works on 3-D volumes (this model's input is 8×16×16×1: depth × height × width × channels), " +
          "but the Train tab's data sets hold 2-D images (MNIST, CIFAR-10, synthetic stripes) and sequences (synthetic), so this model cannot train here. " +
          'Export it to PyTorch or Keras to train it on volumes.',
      );
      expect(ofType(messages, 'phase').map((m) => m.phase)).not.toContain('data');
      expect(ofType(messages, 'step')).toEqual([]);
    }
  });

  it('splits each batch with helper workers where WASM runs on several, and says when a run cannot', async () => {
    const two = twoWorkers();
    const { s, messages } = session(two.toolkit);
    await s.handle(start({ epochs: 2, batchSize: 64, maxTrainSamples: 192, maxTestSamples: 32 }));
    expect(ofType(messages, 'error')).toEqual([]);
    expect(two.log).toEqual({ started: [1], computed: 6, terminated: 1 });
    const wasmNote = (m: Extract<FromWorker, { type: 'backend' }>) => m.tried.find((t) => t.name === 'wasm')?.note;
    expect(ofType(messages, 'backend').map(wasmNote)).toEqual(['2 workers, one thread each']);
    const epochs = ofType(messages, 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[0]!.tensors).toBe(epochs[1]!.tensors);

    // A batch too small to split: the training worker alone, and the backend list says why.
    const small = twoWorkers();
    const second = session(small.toolkit);
    await second.s.handle(start({ epochs: 1, batchSize: 32, maxTrainSamples: 64, maxTestSamples: 32 }));
    expect(small.log.started).toEqual([]);
    expect(ofType(second.messages, 'backend').map(wasmNote)).toEqual([
      '2 workers, one thread each',
      'one thread: a batch of 32 is not split (each worker needs at least 32 images)',
    ]);
    expect(ofType(second.messages, 'done')).toHaveLength(1);

    // Helpers that cannot start: the run goes on, on the training worker, saying so.
    const failing = twoWorkers(true);
    const third = session(failing.toolkit);
    await third.s.handle(start({ epochs: 1, batchSize: 64, maxTrainSamples: 128, maxTestSamples: 32 }));
    expect(failing.log.started).toEqual([1]);
    expect(ofType(third.messages, 'backend').map(wasmNote).at(-1)).toBe(
      'one thread: the helper workers did not start (no workers here)',
    );
    expect(ofType(third.messages, 'error')).toEqual([]);
    expect(ofType(third.messages, 'done')).toHaveLength(1);
  });
});

describe('a run that downloads its data set', () => {
  let server: SlowServer;
  beforeAll(async () => {
    const archive = await smallCifar(1, 40);
    server = await slowServer({
      '/never': () => undefined,
      '/stalls': dribble(() => server, archive, { chunk: 8_000, everyMs: 10, stopAfter: 24_000 }),
    });
  });
  afterAll(() => server.close());
  const cifar = (path: string, stallMs?: number) => ({
    data: { dataset: 'cifar10' as const, url: `${server.origin}${path}`, ...(stallMs ? { stallMs } : {}) },
  });
  const small = { epochs: 1, batchSize: 32, maxTrainSamples: 64, maxTestSamples: 32 };

  it('stop ends a download that never answers at once, says nothing was trained, and the next run trains', async () => {
    const { s, messages } = session();
    const run = s.handle(start({}, cifar('/never')));
    await expect.poll(() => server.seen.filter((r) => r.path === '/never').length).toBe(1);
    const waiting = ofType(messages, 'phase').at(-1);
    expect(waiting).toEqual({
      type: 'phase',
      phase: 'data',
      detail: `Downloading CIFAR-10 from ${server.origin}/never — waiting for the server…`,
      loaded: 0,
    });
    const asked = Date.now();
    await s.handle({ type: 'stop' });
    await run;
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(ofType(messages, 'stopped')).toEqual([
      { type: 'stopped', detail: 'Stopped the download: nothing was trained.' },
    ]);
    expect(ofType(messages, 'error')).toEqual([]);
    // The connection went with it.
    await expect.poll(() => server.seen.find((r) => r.path === '/never')?.closedAt).not.toBeNull();
    await s.handle(start(small));
    expect(ofType(messages, 'error')).toEqual([]);
    expect(ofType(messages, 'done')).toHaveLength(1);
  });

  it('a download that stalls ends the run with a message saying so, and the next run trains', async () => {
    const { s, messages } = session();
    await s.handle(start({}, cifar('/stalls', 300)));
    const [error] = ofType(messages, 'error');
    expect(error?.message).toMatch(
      new RegExp(
        `^The CIFAR-10 download stalled: no data for 0\\.3 s from ${server.origin}/stalls, after 24\\.0 kB of `,
      ),
    );
    expect(ofType(messages, 'step')).toEqual([]);
    await s.handle(start(small));
    expect(ofType(messages, 'error')).toHaveLength(1);
    expect(ofType(messages, 'done')).toHaveLength(1);
  });
});
