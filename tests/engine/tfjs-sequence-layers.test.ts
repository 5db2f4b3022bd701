import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { importKeras } from '../../src/io/keras/import';

/**
 * Oracle: tfjs-layers builds PReLU, LayerNormalization, Embedding, SimpleRNN, LSTM, GRU and
 * Bidirectional; the engine, fed the Keras JSON tfjs writes (`model.toJSON()`), must give every
 * layer the same output shape, parameter count and weight shapes (Keras order and names).
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Build = () => tf.layers.Layer[];

function check(label: string, inputShape: (number | null)[], build: Build) {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape }), ...build()] });
  const imported = importKeras(model.toJSON(null, false));
  expect(imported.ok, label).toBe(true);
  if (!imported.ok) return;
  const analysis = analyzeModel(imported.model);
  expect(
    analysis.diagnostics.filter((d) => d.severity === 'error'),
    label,
  ).toEqual([]);
  for (const layer of model.layers) {
    const ours = analysis.layers.find((l) => l.name === layer.name);
    expect(ours, `${label}: ${layer.name}`).toBeDefined();
    expect([null, ...(ours!.output ?? [])], `${label}: ${layer.name} output`).toEqual(layer.outputShape);
    expect(ours!.params, `${label}: ${layer.name} parameters`).toBe(layer.countParams());
    expect(
      ours!.weights.map((w) => w.keras.shape),
      `${label}: ${layer.name} weight shapes`,
    ).toEqual(layer.weights.map((w) => w.shape));
  }
  expect(analysis.totals.params, `${label}: total`).toBe(model.countParams());
}

describe('new layer kinds ≡ tfjs-layers', () => {
  it('PReLU: one slope per element, or shared along chosen axes', () => {
    check('prelu', [8, 6, 3], () => [tf.layers.prelu({})]);
    check('prelu shared HW', [8, 6, 3], () => [tf.layers.prelu({ sharedAxes: [1, 2] })]);
    check('prelu shared all', [8, 6, 3], () => [tf.layers.prelu({ sharedAxes: [1, 2, 3] })]);
    check('prelu on a vector', [20], () => [tf.layers.prelu({})]);
  });

  it('LayerNormalization over the last axis, several axes, without scale or centre', () => {
    check('ln', [7, 16], () => [tf.layers.layerNormalization({})]);
    check('ln image', [5, 4, 3], () => [tf.layers.layerNormalization({ axis: -1 })]);
    check('ln two axes', [5, 4, 3], () => [tf.layers.layerNormalization({ axis: [2, 3] })]);
    check('ln no centre', [9], () => [tf.layers.layerNormalization({ center: false })]);
    check('ln no scale', [9], () => [tf.layers.layerNormalization({ scale: false })]);
  });

  it('Embedding on fixed and open sequence lengths, then Dense', () => {
    check('emb', [12], () => [tf.layers.embedding({ inputDim: 1000, outputDim: 64 })]);
    check('emb open', [null], () => [tf.layers.embedding({ inputDim: 50, outputDim: 8 })]);
    check('emb 2-D', [4, 5], () => [
      tf.layers.embedding({ inputDim: 30, outputDim: 3 }),
      tf.layers.dense({ units: 2 }),
    ]);
  });

  it('SimpleRNN, LSTM and GRU: units, bias, return_sequences, stacked, open lengths', () => {
    for (const rnn of [tf.layers.simpleRNN, tf.layers.lstm, tf.layers.gru]) {
      const name = rnn.name;
      check(`${name} last`, [10, 8], () => [rnn({ units: 16 })]);
      check(`${name} seq`, [10, 8], () => [rnn({ units: 5, returnSequences: true })]);
      check(`${name} no bias`, [null, 3], () => [rnn({ units: 7, useBias: false })]);
      check(`${name} stacked`, [6, 4], () => [
        rnn({ units: 12, returnSequences: true }),
        rnn({ units: 9 }),
        tf.layers.dense({ units: 3 }),
      ]);
    }
  });

  it('Embedding → Bidirectional(LSTM/GRU) with every merge mode → Dense', () => {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
      for (const returnSequences of [true, false]) {
        check(`bi lstm ${mergeMode} ${returnSequences}`, [20], () => [
          tf.layers.embedding({ inputDim: 100, outputDim: 16 }),
          tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8, returnSequences }) as tf.RNN, mergeMode }),
          tf.layers.dense({ units: 2 }),
        ]);
      }
    }
    check('bi gru', [15, 6], () => [
      tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4, returnSequences: true }) as tf.RNN }),
      tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3 }) as tf.RNN }),
    ]);
  });
});
