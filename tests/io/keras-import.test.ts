import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { readModelText } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keras/${name}.json`, import.meta.url), 'utf8');

function importFixture(name: string) {
  const read = readModelText(fixture(name));
  if (!read.ok) throw new Error(read.error);
  expect(read.source).toBe('keras');
  return analyzeModel(read.model);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Keras 2 (tf.keras) and Keras 2.2 JSON, checked against TensorFlow.js’ own loader', () => {
  it.each(['keras2-sequential', 'keras22-sequential-lenet', 'keras2-functional-residual', 'keras2-channels-first'])(
    '%s: every layer’s shape and parameters equal tfjs modelFromJSON',
    async (name) => {
      const analysis = importFixture(name);
      expect(analysis.diagnostics).toEqual([]);
      const model = await tf.models.modelFromJSON({ modelTopology: JSON.parse(fixture(name)) });
      for (const layer of model.layers) {
        const ours = analysis.layers.find((l) => l.name === layer.name);
        expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
        expect(ours?.params, layer.name).toBe(layer.countParams());
      }
      expect(analysis.totals.params).toBe(model.countParams());
    },
  );

  it('keeps Keras names and class names (ReLU stays ReLU)', () => {
    const summary = summaryJson(importFixture('keras2-functional-residual'));
    expect(summary.layers.map((l) => `${l.name}:${l.type}`)).toContain('relu_a:ReLU');
    expect(summary.layers.find((l) => l.name === 'add')?.inputs).toEqual(['bn_b', 'bn_proj']);
    expect(summary.outputs).toEqual(['out']);
    expect(summary.layers.find((l) => l.name === 'conv_a')?.weights).toEqual([
      { name: 'kernel', shape: [3, 3, 16, 32] },
    ]);
  });

  it('LeNet-5 from a Keras 2.2 file has its classic 61,706 parameters', () => {
    expect(importFixture('keras22-sequential-lenet').totals.params).toBe(61_706);
  });

  it('a channels_first model keeps NCHW and reports PyTorch-order weights in its own layout', () => {
    const analysis = importFixture('keras2-channels-first');
    expect(analysis.model.dataFormat).toBe('channels_first');
    const summary = summaryJson(analysis);
    expect(summary.layers.find((l) => l.name === 'pool')?.outputShape).toEqual([null, 16, 16, 16]);
    expect(summary.layers.find((l) => l.name === 'conv')?.weights[0]).toEqual({ name: 'weight', shape: [16, 3, 3, 3] });
  });
});

describe('Keras 3 JSON', () => {
  it('a functional TCN: Permute, TimeDistributed(Dense), causal dilated Conv1D, Add and Concatenate', () => {
    const analysis = importFixture('keras3-functional-tcn');
    expect(analysis.diagnostics).toEqual([]);
    const shape = (name: string) => analysis.layers.find((l) => l.name === name)?.output;
    expect(shape('to_time_major')).toEqual([128, 6]);
    expect(shape('embed')).toEqual([128, 16]);
    expect(shape('tcn_3')).toEqual([128, 16]);
    expect(shape('features')).toEqual([128, 32]);
    expect(shape('head')).toEqual([4]);
    expect(analysis.totals.params).toBe(6 * 16 + 16 + 3 * (3 * 16 * 16 + 16) + 32 * 4 + 4);
    expect(analysis.layers.find((l) => l.name === 'residual')?.inputs).toEqual(['tcn_2', 'embed']);
  });

  it('an unsupported layer (a custom class) is a located diagnostic; the layers before it are still analysed', () => {
    const text = fixture('keras3-sequential-unsupported').replace(
      '"class_name": "Rescaling"',
      '"class_name": "MyScale"',
    );
    const read = readModelText(text);
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    expect(analysis.diagnostics).toHaveLength(1);
    expect(analysis.diagnostics[0]).toMatchObject({ layer: 'rescaling', severity: 'error' });
    expect(diagnosticText(analysis.diagnostics[0]!, 'channels_last', 'keras')).toContain("'MyScale' is not supported");
    expect(analysis.layers.find((l) => l.name === 'conv2d')?.output).toEqual([62, 62, 8]);
  });

  it('the same file with its Rescaling layer is analysed to the end', () => {
    const analysis = importFixture('keras3-sequential-unsupported');
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.layers.find((l) => l.name === 'rescaling')).toMatchObject({ output: [62, 62, 8], params: 0 });
  });

  it('a TensorFlow.js converter model.json (modelTopology.model_config)', () => {
    const analysis = importFixture('tfjs-converter-model');
    expect(analysis.layers.map((l) => l.output)).toEqual([[1], [10], [17]]);
    expect(analysis.totals.params).toBe(20 + 187);
  });
});

describe('tfjs model.toJSON() of a Sequential model', () => {
  it('imports with the first layer’s batch_input_shape', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, name: 'c' }),
        tf.layers.flatten({ name: 'f' }),
      ],
    });
    const read = readModelText(JSON.stringify(model.toJSON(null, false)));
    expect(read.ok).toBe(true);
    if (read.ok) expect(analyzeModel(read.model).layers.at(-1)?.output).toEqual([26 * 26 * 8]);
  });
});

describe('Keras files that cannot be read', () => {
  it.each([
    [{ class_name: 'Dense', config: { units: 3 } }, "'Dense' is not a Keras model"],
    [
      { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 3 } }] } },
      'no input shape',
    ],
    [{ class_name: 'Functional', config: { name: 'f' } }, 'needs a list of layers'],
  ])('%j', (data, message) => {
    const read = readModelText(JSON.stringify(data));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(message);
  });
});

describe('Keras files past the layer limit', () => {
  /** A Sequential of `count` ReLUs after an input: 35 bytes a layer, so 400,000 fit in 13 MB. */
  const sequential = (count: number) =>
    JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'relus',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 8], name: 'in' } },
          ...Array.from({ length: count }, () => ({ class_name: 'ReLU', config: {} })),
        ],
      },
    });

  it('a 13 MB file of 400,001 layers is refused unanalysed, as a ConvScope file past 10,000 is', () => {
    const text = sequential(400_000);
    expect(text.length).toBeLessThan(16 * 2 ** 20);
    const read = readModelText(text);
    expect(read).toMatchObject({
      ok: false,
      error: 'config.layers: the model has 400,001 layers; ConvScope reads models of at most 10,000 layers.',
    });
  });

  it('10,000 layers, the limit, are read', () => {
    const read = readModelText(sequential(9_999));
    expect(read.ok && read.model.layers.length).toBe(10_000);
  });
});
