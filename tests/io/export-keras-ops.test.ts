import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { toKerasJson } from '../../src/io/export/keras-json';
import { toKerasPython } from '../../src/io/export/keras-python';
import { readModelData } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';
import { analyze, layerOf } from '../helpers';
import { findPython, runPython } from './python/find-python';

/**
 * Issue 15: MultiHeadAttention, raw TensorFlow ops and Slice, which Keras export used to refuse,
 * written as Keras layers where Keras has one and as a Python Lambda where it has none.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Layer = { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };

/** The exported JSON; a Sequential's layers have their name in the config only, so it is copied out. */
function exported(analysis: Analysis) {
  const json = toKerasJson(analysis);
  if (!json.ok) throw new Error(JSON.stringify(json.problems));
  const value = JSON.parse(JSON.stringify(json.value)) as { config: { layers: Layer[] } };
  return {
    ...value,
    config: {
      ...value.config,
      layers: value.config.layers.map((l) => ({ ...l, name: l.name ?? (l.config['name'] as string) })),
    },
  };
}

/** Reads the exported JSON back: the same parameters and every layer's shape. */
function readsBack(analysis: Analysis) {
  const json = toKerasJson(analysis);
  if (!json.ok) throw new Error(JSON.stringify(json.problems));
  const read = readModelData(JSON.parse(JSON.stringify(json.value)));
  if (!read.ok) throw new Error(read.error);
  const back = summaryJson(analyzeModel(read.model));
  const before = summaryJson(analysis);
  expect(back.diagnostics).toEqual([]);
  expect([back.totalParams, back.trainableParams]).toEqual([before.totalParams, before.trainableParams]);
  for (const layer of before.layers)
    expect(back.layers.find((l) => l.name === layer.name)?.outputShape, layer.name).toEqual(layer.outputShape);
  return exported(analysis);
}

const python = findPython(['json']);
const runner = fileURLToPath(new URL('./python/run_keras_python.py', import.meta.url));
type Recorded = { layers?: { class_name: string; name: string; inputs: string[] }[]; error?: string };

/** Runs the exported Python against the recording stand-in of keras. */
function recorded(code: string): Recorded {
  return runPython<Record<string, Recorded>>(python as string, runner, [{ id: 'm', code }])['m'] as Recorded;
}

function pythonOf(analysis: Analysis): string {
  const code = toKerasPython(analysis);
  if (!code.ok) throw new Error(JSON.stringify(code.problems));
  return code.value;
}

describe('MultiHeadAttention', () => {
  const model = () =>
    analyze([
      { name: 'q', type: 'Input', shape: [10, 16] },
      { name: 'v', type: 'Input', shape: [6, 12] },
      { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 8, valueDim: 4, inputs: ['q', 'v'] },
      { name: 'self', type: 'MultiHeadAttention', numHeads: 4, keyDim: 4, inputs: ['mha', 'mha'] },
      { name: 'head', type: 'Dense', units: 3 },
    ]);

  it('Keras JSON passes value as a keyword, as Keras 2 writes mha(q, v), and reads back the same', () => {
    const a = model();
    expect(a.diagnostics).toEqual([]);
    const layers = readsBack(a).config.layers;
    const mha = layers.find((l) => l.name === 'mha');
    expect(mha?.inbound_nodes).toEqual([[['q', 0, 0, { value: ['v', 0, 0] }]]]);
    expect(mha?.config).toMatchObject({ num_heads: 2, key_dim: 8, value_dim: 4, use_bias: true });
    expect(layers.find((l) => l.name === 'self')?.inbound_nodes).toEqual([[['mha', 0, 0, { value: ['mha', 0, 0] }]]]);
    // Keras' eight tensors: query 16×2×8 + 2×8, key and value 12×2×(8, 4) + biases, output 2×4×16 + 16.
    expect(layerOf(a, 'mha').params).toBe(16 * 16 + 16 + (12 * 16 + 16) + (12 * 8 + 8) + (8 * 16 + 16));
  });

  it('a key as the third input is the keyword key', () => {
    const a = analyze([
      { name: 'q', type: 'Input', shape: [5, 8] },
      { name: 'v', type: 'Input', shape: [7, 6] },
      { name: 'k', type: 'Input', shape: [7, 4] },
      { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 3, inputs: ['q', 'v', 'k'] },
    ]);
    const mha = readsBack(a).config.layers.find((l) => l.name === 'mha');
    expect(mha?.inbound_nodes).toEqual([[['q', 0, 0, { value: ['v', 0, 0], key: ['k', 0, 0] }]]]);
  });

  it.skipIf(!python)('Keras Python calls it as mha(query, value)', () => {
    const code = pythonOf(model());
    expect(code).toMatch(
      /layers\.MultiHeadAttention\(num_heads=2, key_dim=8, value_dim=4, use_bias=True, name="mha"\)\(q, v\)/,
    );
    const result = recorded(code);
    expect(result.error).toBeUndefined();
    expect(result.layers?.find((l) => l.name === 'mha')?.inputs).toEqual(['q', 'v']);
    expect(result.layers?.find((l) => l.name === 'self')?.inputs).toEqual(['mha', 'mha']);
  });
});

describe('raw TensorFlow ops (Keras 2 TensorFlowOpLayer)', () => {
  const model = () =>
    analyze([
      { name: 'x', type: 'Input', shape: [6, 6, 8] },
      { name: 'sq', type: 'TensorFlowOp', op: 'Square' },
      { name: 'd2s', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
      { name: 'same', type: 'TensorFlowOp', op: 'Identity' },
      { name: 's2d', type: 'TensorFlowOp', op: 'SpaceToDepth', blockSize: 3 },
    ]);

  it('Keras JSON writes the op back as TensorFlowOpLayer; shapes agree with TensorFlow.js depthToSpace', () => {
    const a = model();
    expect(a.diagnostics).toEqual([]);
    const layers = readsBack(a).config.layers;
    const d2s = layers.find((l) => l.name === 'd2s');
    expect(d2s?.class_name).toBe('TensorFlowOpLayer');
    expect(d2s?.config['node_def']).toMatchObject({ op: 'DepthToSpace', attr: { block_size: { i: '2' } } });
    expect(layers.find((l) => l.name === 'same')?.config).toMatchObject({ activation: 'linear' });
    // TensorFlow's own DepthToSpace on the same input.
    const up = tf.depthToSpace(tf.zeros([1, 6, 6, 8]) as tf.Tensor4D, 2);
    expect(up.shape.slice(1)).toEqual(layerOf(a, 'd2s').output);
    const down = tf.tidy(() => tf.reshape(tf.zeros([1, 12, 12, 2]), [1, 4, 3, 4, 3, 2]).transpose([0, 1, 3, 2, 4, 5]));
    expect([down.shape[1], down.shape[2], 3 * 3 * 2]).toEqual(layerOf(a, 's2d').output);
    up.dispose();
    down.dispose();
  });

  it.skipIf(!python)('Keras Python writes each op in a commented Lambda (tf.nn for DepthToSpace)', () => {
    const code = pythonOf(model());
    expect(code).toContain('import tensorflow as tf');
    expect(code).toContain('layers.Lambda(lambda x: keras.ops.square(x), output_shape=(6, 6, 8), name="sq")');
    expect(code).toContain('layers.Lambda(lambda x: tf.nn.depth_to_space(x, 2), output_shape=(12, 12, 2), name="d2s")');
    expect(code).toContain('tf.nn.space_to_depth(x, 3)');
    expect(code).toMatch(/# TensorFlow's DepthToSpace \(block 2\)[^\n]*TensorFlow backend/);
    const result = recorded(code);
    expect(result.error).toBeUndefined();
    expect(result.layers?.map((l) => l.class_name)).toEqual(['InputLayer', 'Lambda', 'Lambda', 'Activation', 'Lambda']);
  });

  it('ops with a number read from a Keras 2 file write it back: constants in JSON, keras.ops in Python', () => {
    const op = (name: string, tfOp: string, input: string, constants: Record<string, number>) => ({
      class_name: 'TensorFlowOpLayer',
      name,
      config: {
        name,
        trainable: true,
        dtype: 'float32',
        node_def: { name, op: tfOp, input: [input], attr: {} },
        constants,
      },
      inbound_nodes: [[[input, 0, 0, {}]]],
    });
    const source = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_input_shape: [null, 4, 3] },
            inbound_nodes: [],
          },
          op('half', 'Mul', 'x', { 1: 0.5 }),
          op('flip', 'Sub', 'half', { 0: 1 }),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['flip', 0, 0]],
      },
    };
    const read = readModelData(source);
    if (!read.ok) throw new Error(read.error);
    const a = analyzeModel(read.model);
    expect(layerOf(a, 'half').spec).toMatchObject({ op: 'Mul', constant: 0.5 });
    const layers = readsBack(a).config.layers;
    expect(layers.find((l) => l.name === 'half')?.config['constants']).toEqual({ 1: 0.5 });
    expect(layers.find((l) => l.name === 'flip')?.config['constants']).toEqual({ 0: 1 });
    const code = pythonOf(a);
    expect(code).toContain('layers.Lambda(lambda x: keras.ops.multiply(x, 0.5), output_shape=(4, 3), name="half")');
    expect(code).toContain('keras.ops.subtract(1, x)');
  });

  it('an op with a constant ConvScope does not keep is refused, naming the layer; so is a Lambda', () => {
    for (const [layer, message] of [
      [{ name: 'half', type: 'TensorFlowOp', op: 'Mul' }, 'constant operand'],
      [{ name: 'user_fn', type: 'Lambda', outputShape: [4, 4, 2] }, 'a Lambda layer is Python code'],
    ] as const) {
      const a = analyze([{ name: 'x', type: 'Input', shape: [4, 4, 2] }, layer]);
      for (const result of [toKerasJson(a), toKerasPython(a)]) {
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.problems[0]).toMatchObject({ layer: layer.name });
        expect(result.problems[0]?.message).toContain(message);
      }
    }
  });
});

describe('Slice', () => {
  it.each([
    [
      'rows of a feature map',
      [8, 8, 4],
      1,
      1,
      6,
      'Cropping2D',
      {
        cropping: [
          [1, 2],
          [0, 0],
        ],
      },
    ],
    [
      'columns of a feature map',
      [8, 8, 4],
      2,
      0,
      5,
      'Cropping2D',
      {
        cropping: [
          [0, 0],
          [0, 3],
        ],
      },
    ],
    ['steps of a sequence', [10, 3], 1, 2, 10, 'Cropping1D', { cropping: [2, 0] }],
  ] as const)(
    '%s is a Keras Cropping layer, which TensorFlow.js loads with the same shapes',
    async (_n, shape, axis, start, end, className, config) => {
      // TensorFlow.js has Cropping2D only; Cropping1D is checked by reading it back.
      const a = analyze([
        { name: 'x', type: 'Input', shape },
        { name: 'cut', type: 'Slice', axis, start, end },
        { name: 'conv', type: shape.length === 3 ? 'Conv2D' : 'Conv1D', filters: 2, kernelSize: 1 },
      ]);
      const json = readsBack(a);
      expect(json.config.layers.find((l) => l.name === 'cut')).toMatchObject({ class_name: className, config });
      if (className === 'Cropping1D') return;
      const model = await tf.models.modelFromJSON({ modelTopology: json as never });
      for (const layer of model.layers)
        expect(layer.outputShape, layer.name).toEqual([null, ...(layerOf(a, layer.name).output ?? [])]);
      model.dispose();
    },
  );

  it('channels_first rows are Cropping2D in channels_first, and TensorFlow.js agrees', async () => {
    const a = analyze(
      [
        { name: 'x', type: 'Input', shape: [4, 8, 8] },
        { name: 'cut', type: 'Slice', axis: 2, start: 2, end: 8 },
      ],
      'channels_first',
    );
    const json = readsBack(a);
    expect(json.config.layers.find((l) => l.name === 'cut')?.config).toMatchObject({
      cropping: [
        [2, 0],
        [0, 0],
      ],
      data_format: 'channels_first',
    });
    const model = await tf.models.modelFromJSON({ modelTopology: json as never });
    expect(model.outputs[0]?.shape).toEqual([null, 4, 6, 8]);
    model.dispose();
  });

  const half = () =>
    analyze([
      { name: 'x', type: 'Input', shape: [8, 8, 4] },
      { name: 'half', type: 'Slice', axis: 3, start: 0, end: 2 },
    ]);

  it('a channel slice is refused by Keras JSON, naming the layer and the Python export', () => {
    const json = toKerasJson(half());
    expect(json.ok).toBe(false);
    if (json.ok) return;
    expect(json.problems[0]?.layer).toBe('half');
    expect(json.problems[0]?.message).toContain('the Keras Python export writes it');
  });

  const numpy = findPython(['numpy']);
  it.skipIf(!python || !numpy)(
    'a channel slice is a Lambda in Keras Python whose code slices as the engine does',
    () => {
      const code = pythonOf(half());
      const lambda = /layers\.Lambda\((lambda x: [^,]+(?:, [^,=]+)*), output_shape=\(8, 8, 2\)/.exec(code)?.[1];
      expect(lambda).toBe('lambda x: x[:, :, :, 0:2]');
      expect(recorded(code).error).toBeUndefined();
      // The Lambda's own code run on an array of the input's shape, batch first.
      const shape = execFileSync(numpy as string, [
        '-c',
        `import numpy; print(list((${lambda})(numpy.zeros((1, 8, 8, 4))).shape))`,
      ]).toString();
      expect(JSON.parse(shape)).toEqual([1, ...(layerOf(half(), 'half').output ?? [])]);
    },
  );
});
