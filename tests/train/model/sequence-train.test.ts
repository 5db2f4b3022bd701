import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/train/model/build';
import { analyze, layerOf } from '../../helpers';
import { expectGradientsMatch } from './gradient-check';
import { buildExact, expectActualShapes } from './helpers';
import { tensorOf } from './reference';

/**
 * Models with the layers tfjs lacks (MultiHeadAttention, GRU with reset_after, TensorFlow ops)
 * train in the tab: the tfjs model has Keras' parameter counts and the engine's shapes, its
 * gradients are finite differences, and one step of fit on random data changes every weight.
 * Lambda is refused with the layer named and what to do.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const attentionModel = [
  { name: 'x', type: 'Input', shape: [6, 8] },
  { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 3, valueDim: 5, outputShape: 7, inputs: ['x', 'x'] },
  { name: 'gru', type: 'GRU', units: 4, resetAfter: true, returnSequences: true },
  { name: 'bi', type: 'Bidirectional', layer: { type: 'GRU', units: 3, resetAfter: true } },
  { name: 'out', type: 'Dense', units: 3, activation: 'softmax' },
];

const opsModel = (format: 'channels_last' | 'channels_first') => [
  { name: 'x', type: 'Input', shape: format === 'channels_last' ? [4, 4, 8] : [8, 4, 4] },
  { name: 'd2s', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
  { name: 'conv', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
  { name: 's2d', type: 'TensorFlowOp', op: 'SpaceToDepth', blockSize: 2 },
  { name: 'half', type: 'TensorFlowOp', op: 'Mul', constant: 0.5 },
  { name: 'flip', type: 'TensorFlowOp', op: 'Sub', constant: 1, constantFirst: true },
  { name: 'sq', type: 'TensorFlowOp', op: 'Square' },
  { name: 'flat', type: 'Flatten' },
  { name: 'out', type: 'Dense', units: 3, activation: 'softmax' },
];

/** One epoch of fit on 4 random examples: every trainable tensor moves. */
async function expectOneStepMovesEveryWeight(model: tf.LayersModel, inputShape: number[]) {
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
  const x = tensorOf([4, ...inputShape], 3);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
  const before = model.trainableWeights.map((w) => w.read().clone());
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  model.trainableWeights.forEach((w, i) => {
    const moved = tf.max(tf.abs(tf.sub(w.read(), before[i]!))).dataSync()[0]!;
    expect(moved, `${w.originalName} moved`).toBeGreaterThan(0);
  });
  tf.dispose([x, y, ...before]);
}

describe('attention and reset_after GRUs train', () => {
  const analysis = analyze(attentionModel);

  it("has Keras' parameter counts", () => {
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = buildExact(analysis);
    // keras.layers.MultiHeadAttention: h·(Eq·kd + kd + Ek·kd + kd + Ev·vd + vd) + h·vd·Eo + Eo.
    const [h, kd, vd, e, eo] = [2, 3, 5, 8, 7];
    expect(model.getLayer('mha').countParams()).toBe(h * (e * kd + kd + e * kd + kd + e * vd + vd) + h * vd * eo + eo);
    // keras.layers.GRU(reset_after=True): 3·(u·(f + u) + 2u), per direction.
    expect(model.getLayer('gru').countParams()).toBe(3 * (4 * (7 + 4) + 2 * 4));
    expect(model.getLayer('bi').countParams()).toBe(2 * 3 * (3 * (4 + 3) + 2 * 3));
    expect(model.getLayer('mha').countParams()).toBe(layerOf(analysis, 'mha').params);
    expectActualShapes(model, analysis);
    model.dispose();
  });

  it('gradients = finite differences', () => expectGradientsMatch(analysis, [6, 8]));

  it('one step of fit changes every weight', async () => {
    const model = buildExact(analysis, { seed: 3 });
    await expectOneStepMovesEveryWeight(model, [6, 8]);
    model.dispose();
  });
});

describe('TensorFlow ops train', () => {
  for (const format of ['channels_last', 'channels_first'] as const) {
    const analysis = analyze(opsModel(format), format);
    it(`${format}: engine shapes, gradients = finite differences, fit moves every weight`, async () => {
      expect(analysis.diagnostics).toEqual([]);
      const model = buildExact(analysis, { seed: 4 });
      expectActualShapes(model, analysis);
      // The model reads channels-last data whatever its layout.
      const dataShape = [4, 4, 8];
      expectGradientsMatch(analysis, dataShape);
      await expectOneStepMovesEveryWeight(model, dataShape);
      model.dispose();
    });
  }
});

describe('what cannot train says which layer and what to do', () => {
  it('a Lambda layer: named, why, and replace it', () => {
    const built = buildModel(
      analyze([
        { name: 'x', type: 'Input', shape: [4] },
        { name: 'my_lambda', type: 'Lambda', outputShape: [4] },
        { name: 'out', type: 'Dense', units: 2 },
      ]),
    );
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.layer).toBe('my_lambda');
    expect(built.error).toMatch(/Lambda layer runs Python code/);
    expect(built.error).toMatch(/replace it with the layers it computes/);
  });

  it('an element-wise op whose constant was a tensor: warned in the editor, refused with the reason', () => {
    const analysis = analyze([
      { name: 'x', type: 'Input', shape: [4] },
      { name: 'scale', type: 'TensorFlowOp', op: 'Mul' },
    ]);
    expect(analysis.diagnostics).toMatchObject([{ layer: 'scale', severity: 'warning', code: 'unknown-constant' }]);
    const built = buildModel(analysis);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.layer).toBe('scale');
    expect(built.error).toMatch(/Mul applies a constant ConvScope does not know/);
  });
});
