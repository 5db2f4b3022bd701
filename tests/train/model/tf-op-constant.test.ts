import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/train/model/build';
import { analyze } from '../../helpers';
import { expectGradientsMatch } from './gradient-check';
import { buildExact } from './helpers';
import { tensorOf } from './reference';

/**
 * A TensorFlowOp whose constant the file holds as a weight (an ONNX Mul/Add by an initializer:
 * a learnt per-channel scale or shift) trains in the tab: the constant is a trainable weight of
 * its shape, starting at the op's neutral value, acting on the channels in the channels-last
 * layout the tab runs channels-first models in, and counted as the engine counts it.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What an ONNX file of conv → · scale → + shift reads as (channels-first, batch counted). */
const scaledModel = [
  { name: 'x', type: 'Input', shape: [3, 6, 5] },
  { name: 'conv', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
  { name: 'scale', type: 'TensorFlowOp', op: 'Mul', constantShape: [1, 4, 1, 1] },
  { name: 'shift', type: 'TensorFlowOp', op: 'AddV2', constantShape: [4, 1, 1] },
  { name: 'flat', type: 'Flatten' },
  { name: 'out', type: 'Dense', units: 3, activation: 'softmax' },
];

const weightOf = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights()[0] as tf.Tensor;

describe('a constant the file holds trains as a weight', () => {
  const analysis = analyze(scaledModel, 'channels_first');

  it('no warning; the tfjs model has the engine’s parameter count; the constants start neutral', () => {
    expect(analysis.diagnostics).toEqual([]);
    const model = buildExact(analysis);
    expect(model.countParams()).toBe(analysis.totals.params);
    expect(analysis.totals.params).toBe(3 * 3 * 3 * 4 + 4 + 4 + 4 + 4 * 6 * 5 * 3 + 3);
    // Channels-last inside: the per-channel constants lie along the last axis.
    expect(weightOf(model, 'scale').shape).toEqual([1, 1, 1, 4]);
    expect(Array.from(weightOf(model, 'scale').dataSync())).toEqual([1, 1, 1, 1]);
    expect(Array.from(weightOf(model, 'shift').dataSync())).toEqual([0, 0, 0, 0]);
    model.dispose();
  });

  it('scales and shifts each channel (not another axis)', () => {
    // 4 × 4 × 4: a constant on the wrong axis would broadcast silently, so the values tell.
    const model = buildExact(
      analyze(
        [
          { name: 'x', type: 'Input', shape: [4, 4, 4] },
          { name: 'scale', type: 'TensorFlowOp', op: 'Mul', constantShape: [1, 4, 1, 1] },
          { name: 'shift', type: 'TensorFlowOp', op: 'Sub', constantShape: [4, 1, 1], constantFirst: true },
        ],
        'channels_first',
      ),
    );
    model.getLayer('scale').setWeights([tf.tensor([1, 2, 3, 4], [1, 1, 1, 4])]);
    model.getLayer('shift').setWeights([tf.tensor([10, 20, 30, 40], [1, 1, 1, 4])]);
    // The tab's model reads and writes channels-last: x[n, h, w, c].
    const x = tensorOf([2, 4, 4, 4], 2);
    const y = (model.predict(x) as tf.Tensor).dataSync();
    const xs = x.dataSync();
    const want = Array.from(xs, (v, i) => 10 * ((i % 4) + 1) - v * ((i % 4) + 1));
    expect(Math.max(...want.map((w, i) => Math.abs(w - (y[i] as number))))).toBeLessThan(1e-4);
    model.dispose();
  });

  // RealDiv and Sub with the constant first too: c / x and c − x by a learnt c.
  it('gradients with respect to the learnt constants = finite differences', () =>
    expectGradientsMatch(
      analyze(
        [
          ...scaledModel.slice(0, 4),
          { name: 'div', type: 'TensorFlowOp', op: 'RealDiv', constantShape: [4, 1, 1] },
          { name: 'back', type: 'TensorFlowOp', op: 'Sub', constantShape: [1, 4, 1, 1], constantFirst: true },
          ...scaledModel.slice(4),
        ],
        'channels_first',
      ),
      [6, 5, 3],
    ));

  it('one step of fit moves the learnt constants (and every other weight)', async () => {
    const model = buildExact(analysis);
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const x = tensorOf([4, 6, 5, 3], 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const names = model.trainableWeights.map((w) => w.originalName);
    expect(names).toEqual(expect.arrayContaining(['scale/constant', 'shift/constant']));
    const before = model.trainableWeights.map((w) => w.read().clone());
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    model.trainableWeights.forEach((w, i) => {
      const moved = tf.max(tf.abs(tf.sub(w.read(), before[i] as tf.Tensor))).dataSync()[0] as number;
      expect(moved, `${w.originalName} moved`).toBeGreaterThan(0);
    });
    tf.dispose([x, y, ...before]);
    model.dispose();
  });

  it('a saved model loads back with its learnt constants (the weights the tab keeps between visits)', async () => {
    const model = buildExact(analysis);
    model.getLayer('scale').setWeights([tf.tensor([0.5, 1.5, 2.5, 3.5], [1, 1, 1, 4])]);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(
        async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
      ),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    expect(Array.from(weightOf(loaded, 'scale').dataSync())).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(loaded.countParams()).toBe(analysis.totals.params);
    model.dispose();
    loaded.dispose();
  });

  it('Maximum by a file-held constant has no neutral start: warned, and refused with the reason', () => {
    const held = analyze([
      { name: 'x', type: 'Input', shape: [4] },
      { name: 'floor', type: 'TensorFlowOp', op: 'Maximum', constantShape: [4] },
    ]);
    expect(held.diagnostics).toMatchObject([{ layer: 'floor', severity: 'warning', code: 'unknown-constant' }]);
    const built = buildModel(held);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.layer).toBe('floor');
    expect(built.error).toMatch(/no neutral value/);
  });
});
