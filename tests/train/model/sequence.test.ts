import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../helpers';
import { buildExact, expectActualShapes } from './helpers';

/**
 * Models with the layers added for real files train in the tab: the tfjs model built from the
 * engine graph has the engine's parameters, and its actual tensors have the engine's shapes.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function check(layers: Record<string, unknown>[], dataFormat?: 'channels_first', run = true) {
  const analysis = analyze(layers, dataFormat);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const model = buildExact(analysis);
  try {
    expect(model.countParams()).toBe(analysis.totals.params);
    // buildExact compares every layer's symbolic shape; this runs real tensors through it too.
    if (run) expectActualShapes(model, analysis);
  } finally {
    model.dispose();
  }
}

describe('sequence layers build in TensorFlow.js with the engine’s shapes and parameters', () => {
  it('text: Embedding → Bidirectional(LSTM) → LayerNormalization → GRU → Dense → PReLU', () => {
    check(
      [
        { type: 'Input', shape: [12] },
        { type: 'Embedding', inputDim: 50, outputDim: 8 },
        { type: 'Bidirectional', layer: { type: 'LSTM', units: 4, returnSequences: true }, mergeMode: 'sum' },
        { type: 'LayerNormalization' },
        { type: 'GRU', units: 5, resetAfter: false },
        { type: 'Dense', units: 3 },
        { type: 'PReLU' },
        // Random normal inputs are not word ids: the symbolic shapes and the counts are compared.
      ],
      undefined,
      false,
    );
  });

  it('an image with PReLU per channel and SimpleRNN over rows', () => {
    check([
      { type: 'Input', shape: [6, 6, 3] },
      { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { type: 'PReLU', sharedAxes: [1, 2] },
      { type: 'Reshape', targetShape: [6, 24] },
      { type: 'SimpleRNN', units: 7 },
    ]);
  });

  it('a channels-first sequence model', () => {
    check(
      [
        { type: 'Input', shape: [9, 4] },
        { type: 'LSTM', units: 6, returnSequences: true },
        { type: 'LayerNormalization' },
        { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 2 } },
      ],
      'channels_first',
    );
  });
});
