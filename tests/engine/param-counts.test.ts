import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { countIn, countText } from '../../src/engine/analysis/param-counts';
import type { Analysis } from '../../src/engine/analysis/result';
import { toPyTorch } from '../../src/io/export/pytorch';
import { summaryJson } from '../../src/io/summary/json';
import { summaryText } from '../../src/io/summary/text';
import { presetModel } from '../../src/presets';
import { buildModel } from '../../src/train/model/build';
import { findPython, runPython } from '../io/python/find-python';
import { analyze } from '../helpers';

/** Conv → batch norm → ReLU → pool → batch norm on a vector → Dense: both kinds of batch norm. */
const BN_LAYERS = [
  { name: 'image', type: 'Input', shape: [16, 16, 3] },
  { name: 'conv', type: 'Conv2D', filters: 8, kernelSize: 3, useBias: false },
  { name: 'bn', type: 'BatchNormalization' },
  { name: 'relu', type: 'Activation', activation: 'relu' },
  { name: 'pool', type: 'GlobalAveragePooling2D' },
  { name: 'bn2', type: 'BatchNormalization' },
  { name: 'out', type: 'Dense', units: 10 },
];

const models = (): { id: string; analysis: Analysis }[] => [
  { id: 'resnet20_a', analysis: analyzeModel(presetModel('resnet20-a')) },
  { id: 'resnet20_b', analysis: analyzeModel(presetModel('resnet20-b')) },
  { id: 'mnist', analysis: analyzeModel(presetModel('mnist')) },
  { id: 'bn', analysis: analyze(BN_LAYERS) },
];

describe('parameters as each framework counts them', () => {
  it('ResNet-20: 269,722 parameters and 1,376 buffers in PyTorch (torchinfo), 271,098 in Keras', () => {
    const { totals } = analyzeModel(presetModel('resnet20-a'));
    expect(countIn(totals, 'pytorch')).toEqual({
      notation: 'pytorch',
      parameters: 269_722,
      trainable: 269_722,
      buffers: 1_376,
    });
    expect(countIn(totals, 'keras')).toEqual({
      notation: 'keras',
      total: 271_098,
      trainable: 269_722,
      nonTrainable: 1_376,
    });
    expect(countText(countIn(totals, 'pytorch'))).toBe(
      '269,722 parameters · 1,376 in buffers (batch-norm running statistics)',
    );
    expect(countText(countIn(totals, 'keras'))).toBe('271,098 parameters (269,722 trainable, 1,376 non-trainable)');
  });

  it('the CLI text and JSON summaries say the same', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    const torch = summaryText(analysis, 'pytorch');
    expect(torch).toContain('Total params: 269,722');
    expect(torch).toContain('Buffers: 1,376');
    const keras = summaryText(analysis, 'keras');
    expect(keras).toContain('Total params: 271,098');
    expect(keras).toContain('Non-trainable params: 1,376');
    const json = summaryJson(analysis);
    // The old fields keep their meaning (Keras'); the frameworks' counts are added beside them.
    expect([json.totalParams, json.trainableParams, json.nonTrainableParams]).toEqual([271_098, 269_722, 1_376]);
    expect(json.frameworks).toEqual({
      pytorch: { parameters: 269_722, trainable: 269_722, buffers: 1_376 },
      keras: { total: 271_098, trainable: 269_722, nonTrainable: 1_376 },
    });
  });
});

const python = findPython(['torch']);
const script = fileURLToPath(new URL('../io/python/check_torch.py', import.meta.url));

describe.skipIf(!python)('PyTorch counts, checked in real PyTorch on the exported code', () => {
  it('sum(p.numel() for p in parameters()) and the buffers (without num_batches_tracked) equal what the app shows', () => {
    const jobs = models().map(({ id, analysis }) => {
      const exported = toPyTorch(analysis);
      if (!exported.ok) throw new Error(`${id}: ${JSON.stringify(exported.problems)}`);
      return { id, analysis, code: exported.value.code, inputs: exported.value.inputs };
    });
    const results = runPython<Record<string, { parameters?: number; buffers?: number; error?: string }>>(
      python as string,
      script,
      jobs.map(({ id, code, inputs }) => ({ id, code, inputs })),
    );
    for (const { id, analysis } of jobs) {
      const result = results[id];
      expect(result?.error, id).toBeUndefined();
      const shown = countIn(analysis.totals, 'pytorch');
      expect({ parameters: result?.parameters, buffers: result?.buffers }, id).toEqual({
        parameters: shown.parameters,
        buffers: shown.buffers,
      });
    }
  });
});

describe('Keras counts, checked against tfjs-layers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const size = (weights: readonly tf.LayerVariable[]) =>
    weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

  it('a hand-built tfjs model: countParams, trainable and non-trainable weights', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.activation({ activation: 'relu' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const shown = countIn(analyze(BN_LAYERS).totals, 'keras');
    expect(shown).toEqual({
      notation: 'keras',
      total: model.countParams(),
      trainable: size(model.trainableWeights),
      nonTrainable: size(model.nonTrainableWeights),
    });
    expect(shown.nonTrainable).toBe(32);
    model.dispose();
  });

  it('ResNet-20 built in tfjs from the engine’s graph', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    const built = buildModel(analysis);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(countIn(analysis.totals, 'keras')).toEqual({
      notation: 'keras',
      total: built.model.countParams(),
      trainable: size(built.model.trainableWeights),
      nonTrainable: size(built.model.nonTrainableWeights),
    });
    built.model.dispose();
  });
});
