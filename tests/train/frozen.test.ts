import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Model } from '../../src/engine/model/model';
import { readModelText } from '../../src/io/read-model';
import { chooseBackend } from '../../src/train/backend/choose';
import { batcher, loadData } from '../../src/train/load-data';
import { DEFAULT_CONFIG } from '../../src/train/loop/config';
import { buildModel } from '../../src/train/model/build';
import type { FromWorker } from '../../src/train/protocol';
import { fitProblem } from '../../src/train/run-checks';
import { synthetic } from '../../src/train/data/synthetic';
import { Session } from '../../src/train/session';
import { analyze } from '../helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Runs a training session as the worker does (WASM backend, synthetic data) on `model`, and gives
 * every weight of the model it built, before and after, by tfjs name.
 */
async function trainInSession(model: Model) {
  let built: tf.LayersModel | undefined;
  let before = new Map<string, Float32Array>();
  const snapshot = (m: tf.LayersModel) =>
    new Map(m.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  const messages: FromWorker[] = [];
  const session = new Session((m) => messages.push(m), {
    chooseBackend,
    loadData,
    batcher,
    buildModel: (...args: Parameters<typeof buildModel>) => {
      const result = buildModel(...args);
      if (result.ok) {
        built = result.model;
        before = snapshot(result.model);
      }
      return result;
    },
  });
  await session.handle({
    type: 'start',
    model,
    config: { ...DEFAULT_CONFIG, augment: false, epochs: 1, batchSize: 16, maxTrainSamples: 64, maxTestSamples: 16 },
    data: { dataset: 'synthetic' },
    backend: 'wasm',
    memoryBudget: 2 ** 30,
  });
  const errors = messages.filter((m) => m.type === 'error');
  return { errors, done: messages.some((m) => m.type === 'done'), before, after: built ? snapshot(built) : new Map() };
}

const changed = (a: Float32Array | undefined, b: Float32Array | undefined) =>
  !!a && !!b && a.some((v, i) => v !== b[i]);

describe('training leaves frozen layers alone', () => {
  it('a frozen conv, batch norm and block keep every weight; the head and the trainable conv learn', async () => {
    const { model } = analyze([
      { name: 'image', type: 'Input', shape: [12, 12, 3] },
      { name: 'base', type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same', trainable: false },
      { name: 'base_bn', type: 'BatchNormalization', trainable: false },
      { name: 'block', type: 'ResNetBasicBlock', filters: 8, trainable: false },
      { name: 'tune', type: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu' },
      { name: 'pool', type: 'GlobalAveragePooling2D' },
      { name: 'head', type: 'Dense', units: 10 },
    ]);
    const analysis = analyzeModel(model);
    const tfjs = buildModel(analysis);
    expect(tfjs.ok).toBe(true);
    if (!tfjs.ok) return;
    const count = tfjs.model.trainableWeights.reduce(
      (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
      0,
    );
    expect(count).toBe(analysis.totals.trainableParams);
    tfjs.model.dispose();

    const { errors, done, before, after } = await trainInSession(model);
    expect(errors).toEqual([]);
    expect(done).toBe(true);
    const names = [...before.keys()];
    const frozen = names.filter((n) => /^(base|base_bn|block)\//.test(n));
    const learning = names.filter((n) => /^(tune|head)\//.test(n));
    // conv kernel+bias, bn 4 tensors, block: 2 convs and 2 batch norms.
    expect(frozen).toHaveLength(2 + 4 + 2 + 2 * 4);
    expect(learning).toHaveLength(4);
    for (const n of frozen) expect(changed(before.get(n), after.get(n)), `${n} unchanged`).toBe(false);
    for (const n of learning) expect(changed(before.get(n), after.get(n)), `${n} changed`).toBe(true);
  }, 120_000);
});

describe('an imported Keras model trains', () => {
  it('tfjs-layers toJSON → import → the training checks pass and a session trains it', async () => {
    const keras = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 10, name: 'head' }),
      ],
    });
    const read = readModelText(JSON.stringify(keras.toJSON(null, false)));
    keras.dispose();
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const analysis = analyzeModel(read.model);
    // The input row shows the Keras class; the checks read the layer's kind.
    expect(analysis.layers[0]?.type).toBe('InputLayer');
    expect(analysis.ok).toBe(true);
    const data = synthetic({ shape: [12, 12, 3], classes: 10, trainCount: 8, testCount: 8, seed: 1 });
    expect(fitProblem(analysis, data)).toBeNull();

    const { errors, done } = await trainInSession(read.model);
    expect(errors).toEqual([]);
    expect(done).toBe(true);
  }, 120_000);
});
