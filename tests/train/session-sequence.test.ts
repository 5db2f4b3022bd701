import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/io/project/format';
import { chooseBackend } from '../../src/train/backend/choose';
import { batcher, loadData } from '../../src/train/load-data';
import { DEFAULT_CONFIG } from '../../src/train/loop/config';
import { buildModel } from '../../src/train/model/build';
import type { FromWorker } from '../../src/train/protocol';
import { Session } from '../../src/train/session';

/**
 * A sequence model (attention, then a reset_after GRU) in the Train tab: it trains on the
 * synthetic data set, which takes the model's steps × features, and on an image data set it is
 * told why it cannot and what to choose instead.
 */
const sequenceModel = (() => {
  const read = parseProject({
    format: 'convscope.model',
    version: 1,
    layers: [
      { name: 'x', type: 'Input', shape: [8, 6] },
      { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 4, inputs: ['x', 'x'] },
      { name: 'gru', type: 'GRU', units: 8, resetAfter: true },
      { name: 'out', type: 'Dense', units: 10, activation: 'softmax' },
    ],
  });
  if (!read.ok) throw new Error(read.error);
  return read.model;
})();

function run(dataset: 'synthetic' | 'mnist', model = sequenceModel) {
  const messages: FromWorker[] = [];
  const s = new Session((m) => messages.push(m), { chooseBackend, loadData, buildModel, batcher });
  const done = s.handle({
    type: 'start',
    model,
    config: { ...DEFAULT_CONFIG, augment: false, epochs: 2, batchSize: 16, maxTrainSamples: 128, maxTestSamples: 32 },
    data: { dataset },
    backend: 'wasm',
    memoryBudget: 2 ** 30,
  });
  return { done, messages };
}

const ofType = <T extends FromWorker['type']>(messages: FromWorker[], type: T) =>
  messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);

describe('a sequence model in the Train tab', () => {
  it('trains on the synthetic data set, its examples shaped as the model’s steps × features', async () => {
    const { done, messages } = run('synthetic');
    await done;
    expect(ofType(messages, 'error')).toEqual([]);
    const epochs = ofType(messages, 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs.every((e) => Number.isFinite(e.trainLoss))).toBe(true);
  });

  it('on MNIST: says it reads sequences, not images, and to choose the synthetic data set', async () => {
    const { done, messages } = run('mnist');
    await done;
    expect(ofType(messages, 'error')[0]?.message).toMatch(
      /reads sequences of 8×6 \(steps × features\).*MNIST.*28×28×1 images.*synthetic data set/,
    );
    expect(ofType(messages, 'step')).toEqual([]);
  });

  it('a model of vectors: told which inputs the data sets have, before any data is loaded', async () => {
    const read = parseProject({
      format: 'convscope.model',
      version: 1,
      layers: [
        { name: 'x', type: 'Input', shape: [16] },
        { name: 'out', type: 'Dense', units: 10, activation: 'softmax' },
      ],
    });
    if (!read.ok) throw new Error(read.error);
    const { done, messages } = run('synthetic', read.model);
    await done;
    expect(ofType(messages, 'error')[0]?.message).toMatch(
      /reads vectors of 16 per example; .* images \(height × width × channels\) or, the synthetic set, sequences/,
    );
    expect(ofType(messages, 'phase').map((p) => p.phase)).not.toContain('data');
  });
});
