import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { toPyTorch } from '../../src/io/export/pytorch';
import { exportModel } from '../../src/io/export';
import { readModelText } from '../../src/io/read-model';
import { buildModel } from '../../src/train/model/build';
import { findPython, runPython } from './python/find-python';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function importJson(data: unknown) {
  const read = readModelText(JSON.stringify(data));
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

/**
 * The stem of keras.applications.EfficientNetB0 as tf.keras 2 writes it (model.to_json()):
 * Rescaling, then Normalization whose statistics adapt() fills, then the strided stem conv.
 * Keras' published EfficientNetB0 summary: rescaling 0, normalization 7, stem_conv 864,
 * stem_bn 128 parameters; stem_conv's output 112×112×32.
 */
const efficientNetStem = {
  class_name: 'Functional',
  config: {
    name: 'efficientnetb0',
    layers: [
      {
        class_name: 'InputLayer',
        name: 'input_1',
        config: { batch_input_shape: [null, 224, 224, 3], name: 'input_1' },
        inbound_nodes: [],
      },
      {
        class_name: 'Rescaling',
        name: 'rescaling',
        config: { name: 'rescaling', scale: 0.00392156862745098, offset: 0.0 },
        inbound_nodes: [[['input_1', 0, 0, {}]]],
      },
      {
        class_name: 'Normalization',
        name: 'normalization',
        config: { name: 'normalization', axis: -1, mean: null, variance: null },
        inbound_nodes: [[['rescaling', 0, 0, {}]]],
      },
      {
        class_name: 'ZeroPadding2D',
        name: 'stem_conv_pad',
        config: {
          name: 'stem_conv_pad',
          padding: [
            [0, 1],
            [0, 1],
          ],
        },
        inbound_nodes: [[['normalization', 0, 0, {}]]],
      },
      {
        class_name: 'Conv2D',
        name: 'stem_conv',
        config: {
          name: 'stem_conv',
          filters: 32,
          kernel_size: [3, 3],
          strides: [2, 2],
          padding: 'valid',
          use_bias: false,
        },
        inbound_nodes: [[['stem_conv_pad', 0, 0, {}]]],
      },
      {
        class_name: 'BatchNormalization',
        name: 'stem_bn',
        config: { name: 'stem_bn', axis: 3 },
        inbound_nodes: [[['stem_conv', 0, 0, {}]]],
      },
    ],
    input_layers: [['input_1', 0, 0]],
    output_layers: [['stem_bn', 0, 0]],
  },
};

describe('Rescaling and Normalization at the input no longer blank the model', () => {
  it('Rescaling: every shape and parameter count equals tfjs-layers’ own (modelFromJSON)', async () => {
    const source = tf.sequential({
      layers: [
        tf.layers.rescaling({ inputShape: [32, 32, 3], scale: 1 / 127.5, offset: -1, name: 'scale' }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, name: 'conv' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 10, name: 'out' }),
      ],
    });
    const analysis = importJson(source.toJSON(null, false));
    expect(analysis.diagnostics).toEqual([]);
    for (const layer of source.layers) {
      const ours = analysis.layers.find((l) => l.name === layer.name);
      expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
      expect(ours?.params, layer.name).toBe(layer.countParams());
    }
    expect(analysis.totals.params).toBe(source.countParams());
    expect(analysis.layers.find((l) => l.name === 'scale')?.receptiveField?.axes.map((a) => a.size)).toEqual([1, 1]);

    const json = exportModel(analysis, 'keras-json');
    if (!json.ok) throw new Error('export failed');
    const back = await tf.models.modelFromJSON({ modelTopology: JSON.parse(json.value) as never });
    expect(back.countParams()).toBe(source.countParams());
    expect(back.getLayer('scale').getConfig()).toMatchObject({ scale: 1 / 127.5, offset: -1 });
  });

  it('EfficientNetB0’s stem: Normalization holds 7 non-trainable numbers, the convolution its published 864', () => {
    const analysis = importJson(efficientNetStem);
    expect(analysis.diagnostics).toEqual([]);
    const layer = (name: string) => analysis.layers.find((l) => l.name === name);
    expect(layer('rescaling')?.params).toBe(0);
    expect(layer('normalization')).toMatchObject({ params: 7, trainableParams: 0, nonTrainableParams: 7 });
    expect(layer('normalization')?.output).toEqual([224, 224, 3]);
    expect(layer('normalization')?.receptiveField?.axes.map((a) => a.size)).toEqual([1, 1]);
    expect(layer('stem_conv')).toMatchObject({ params: 864, output: [112, 112, 32] });
    expect(layer('stem_bn')?.params).toBe(128);
  });

  it('Normalization with the statistics in the file has no weights; a bad axis is a located error', () => {
    const stem = structuredClone(efficientNetStem);
    const norm = stem.config.layers[2]!.config as Record<string, unknown>;
    norm['mean'] = [0.485, 0.456, 0.406];
    norm['variance'] = [0.052, 0.05, 0.051];
    expect(importJson(stem).layers[2]?.params).toBe(0);
    norm['axis'] = 4;
    const bad = importJson(stem);
    expect(bad.diagnostics).toMatchObject([{ layer: 'normalization', severity: 'error', code: 'bad-axis' }]);
  });

  it('trains in the tab: the tfjs model built from it has the engine’s shapes and counts', () => {
    const built = buildModel(importJson(efficientNetStem));
    if (!built.ok) throw new Error(built.error);
    expect(built.mismatches).toEqual([]);
    expect(built.model.countParams()).toBe(7 + 864 + 128);
    built.model.dispose();
  });

  const python = findPython(['torch']);
  it.skipIf(!python)('the PyTorch export runs: same shapes, Normalization’s statistics as buffers', () => {
    const analysis = importJson(efficientNetStem);
    const exported = toPyTorch(analysis);
    if (!exported.ok) throw new Error(JSON.stringify(exported.problems));
    const script = fileURLToPath(new URL('./python/check_torch.py', import.meta.url));
    const results = runPython<
      Record<string, { shapes: Record<string, number[]>; params: number; trainable: number; error?: string }>
    >(python as string, script, [{ id: 'stem', code: exported.value.code, inputs: exported.value.inputs }]);
    const result = results['stem']!;
    expect(result.error).toBeUndefined();
    expect(result.shapes[exported.value.locals['stem_conv'] as string]).toEqual([1, 32, 112, 112]);
    expect(result.shapes[exported.value.locals['normalization'] as string]).toEqual([1, 3, 224, 224]);
    expect(result.params).toBe(analysis.totals.params);
    expect(result.trainable).toBe(analysis.totals.trainableParams);
  });
});
