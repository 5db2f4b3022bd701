import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { kerasGraph } from '../../src/io/export/keras-graph';
import { toKerasJson } from '../../src/io/export/keras-json';
import { toKerasPython } from '../../src/io/export/keras-python';
import { parseProject } from '../../src/io/project/format';
import { readModelData } from '../../src/io/read-model';
import { summaryJson, type LayerSummary } from '../../src/io/summary/json';
import { presetModel, presets } from '../../src/presets';
import { recipeArb, toProjectLayers } from '../engine/tfjs-recipes';
import { findPython, runPython } from './python/find-python';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const exportable = presets.map((p) => p.id).filter((id) => analyzeModel(presetModel(id)).ok);

function randomModels(): { id: string; analysis: Analysis }[] {
  const models: { id: string; analysis: Analysis }[] = [];
  for (const rank of [1, 2] as const) {
    fc.sample(recipeArb(rank), { numRuns: 300, seed: 40 + rank }).forEach((recipe, i) => {
      const read = parseProject({
        layers: toProjectLayers(recipe).map((l) => ({
          ...l,
          ...(typeof l['filters'] === 'number' && (l['filters'] as number) < 0 ? { filters: 4 } : {}),
        })),
      });
      if (!read.ok) return;
      const analysis = analyzeModel(read.model);
      if (analysis.ok && models.length < 50 * rank) models.push({ id: `r${rank}_${i}`, analysis });
    });
  }
  return models;
}

const comparable = (l: LayerSummary) => ({
  outputShape: l.outputShape,
  params: l.params,
  trainableParams: l.trainableParams,
  macs: l.macs,
  weights: l.weights,
  receptiveField: l.receptiveField,
});

/** Export to Keras JSON and read it back: the same summary, layer for layer where both have the layer. */
function roundTrip(analysis: Analysis) {
  const json = toKerasJson(analysis);
  if (!json.ok) throw new Error(JSON.stringify(json.problems));
  const read = readModelData(JSON.parse(JSON.stringify(json.value)));
  if (!read.ok) throw new Error(read.error);
  const back = analyzeModel(read.model);
  const before = summaryJson(analysis);
  const after = summaryJson(back);
  expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect([after.totalParams, after.trainableParams, after.macs]).toEqual([
    before.totalParams,
    before.trainableParams,
    before.macs,
  ]);
  const graph = kerasGraph(analysis);
  const classOf = new Map(graph.ok ? graph.value.layers.map((l) => [l.name, l.className]) : []);
  let shared = 0;
  for (const layer of before.layers) {
    const same = after.layers.find((l) => l.name === layer.name);
    if (!same || layer.children) continue;
    shared++;
    expect(comparable(same), layer.name).toEqual(comparable(layer));
    // Where one layer became one Keras layer of its own class, it comes back as that class.
    if (classOf.get(layer.name) === layer.type) expect(same.type).toBe(layer.type);
  }
  expect(shared).toBeGreaterThan(0);
  const lastBefore = before.layers.find((l) => l.name === before.outputs[0]);
  const lastAfter = after.layers.find((l) => l.name === after.outputs[0]);
  expect(lastAfter?.outputShape).toEqual(lastBefore?.outputShape);
  return json.value;
}

describe('Keras JSON export', () => {
  it.each(exportable)('%s: export → import gives the same summary', (id) => {
    roundTrip(analyzeModel(presetModel(id)));
  });

  it('random models: export → import gives the same summary, and plain stacks come back identical', () => {
    for (const { analysis } of randomModels()) {
      roundTrip(analysis);
      if (
        kerasGraph(analysis).ok &&
        analysis.layers.every((l) => !l.spec || !('padding' in l.spec) || typeof l.spec.padding === 'string')
      ) {
        const json = toKerasJson(analysis);
        const read = json.ok ? readModelData(json.value) : null;
        if (read?.ok)
          expect(analyzeModel(read.model).layers.map((l) => l.name)).toEqual(analysis.layers.map((l) => l.name));
      }
    }
  });

  it.each([
    'resnet20-a',
    'resnet20-b',
    'vgg16',
    'resnet50',
    'mobilenet',
    'mnist',
    'lenet5',
    'alexnet',
    'fcn',
    'two-channel',
  ])('%s loads in TensorFlow.js modelFromJSON with the same shapes', async (id) => {
    const analysis = analyzeModel(presetModel(id));
    const json = roundTrip(analysis);
    const model = await tf.models.modelFromJSON({ modelTopology: json as never });
    for (const layer of model.layers) {
      const ours = analysis.layers.find((l) => l.name === layer.name);
      if (ours?.output) expect([null, ...ours.output], layer.name).toEqual(layer.outputShape);
    }
    expect((model.outputs[0]?.shape ?? []).slice(1)).toEqual(
      analysis.layers.find((l) => l.name === analysis.outputs[0])?.output,
    );
    model.dispose();
  });

  it('random models load in TensorFlow.js with the same shapes', async () => {
    for (const { id, analysis } of randomModels()) {
      const json = toKerasJson(analysis);
      if (!json.ok) throw new Error(id);
      const model = await tf.models.modelFromJSON({ modelTopology: json.value as never });
      for (const layer of model.layers) {
        const ours = analysis.layers.find((l) => l.name === layer.name);
        if (ours?.output) expect([null, ...ours.output], `${id} ${layer.name}`).toEqual(layer.outputShape);
      }
      model.dispose();
    }
  });
});

describe('Keras JSON export of sequence layers', () => {
  it('loads in TensorFlow.js with the same shapes and parameter counts, and reads back the same', async () => {
    const cases: Record<string, unknown>[][] = [
      [
        { type: 'Input', shape: [12] },
        { type: 'Embedding', inputDim: 100, outputDim: 16 },
        { type: 'Bidirectional', layer: { type: 'LSTM', units: 8, returnSequences: true }, mergeMode: 'ave' },
        { type: 'LayerNormalization' },
        { type: 'Bidirectional', layer: { type: 'GRU', units: 6, resetAfter: false } },
        { type: 'Dense', units: 3 },
        { type: 'PReLU' },
      ],
      [
        { type: 'Input', shape: [10, 5] },
        { type: 'SimpleRNN', units: 7, returnSequences: true },
        { type: 'LSTM', units: 9, useBias: false, returnSequences: true },
        { type: 'GRU', units: 4, resetAfter: false },
      ],
      [
        { type: 'Input', shape: [8, 8, 3] },
        { type: 'PReLU', sharedAxes: [1, 2] },
        { type: 'LayerNormalization', axis: [2, 3], center: false },
      ],
    ];
    for (const layers of cases) {
      const read = parseProject({ layers });
      if (!read.ok) throw new Error(read.error);
      const analysis = analyzeModel(read.model);
      const json = roundTrip(analysis);
      const model = await tf.models.modelFromJSON({ modelTopology: json as never });
      for (const layer of model.layers) {
        const ours = analysis.layers.find((l) => l.name === layer.name);
        expect(ours, layer.name).toBeDefined();
        expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
        expect(ours?.params, layer.name).toBe(layer.countParams());
      }
      model.dispose();
    }
  });
});

describe('what Keras cannot express is refused, located, and nothing is written', () => {
  it.each([
    [
      'ceil-mode pooling that changes the size',
      [
        { type: 'Input', shape: [7, 7, 3] },
        { name: 'pool', type: 'MaxPooling2D', poolSize: 2, ceilMode: true },
      ],
      'pool',
      'ceil mode',
    ],
    [
      'max pooling with explicit padding',
      [
        { type: 'Input', shape: [8, 8, 3] },
        { name: 'pool', type: 'MaxPooling2D', poolSize: 3, strides: 2, padding: 1 },
      ],
      'pool',
      '−∞',
    ],
    [
      'grouped transposed convolution',
      [
        { type: 'Input', shape: [8, 8, 4] },
        { name: 'up', type: 'Conv2DTranspose', filters: 4, kernelSize: 2, strides: 2, groups: 2 },
      ],
      'up',
      'no groups',
    ],
    [
      'a model with an error',
      [
        { type: 'Input', shape: [4, 4, 1] },
        { name: 'big', type: 'Conv2D', filters: 1, kernelSize: 9 },
      ],
      'big',
      'fix this first',
    ],
  ])('%s', (_name, layers, at, message) => {
    const read = parseProject({ layers });
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    for (const result of [toKerasJson(analysis), toKerasPython(analysis)]) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems[0]?.layer).toBe(at);
        expect(result.problems[0]?.message).toContain(message);
      }
    }
  });

  it('ceil mode that does not change the size is exported as plain pooling', () => {
    const read = parseProject({
      layers: [
        { type: 'Input', shape: [8, 8, 3] },
        { name: 'pool', type: 'MaxPooling2D', poolSize: 2, ceilMode: true },
      ],
    });
    expect(read.ok && toKerasJson(analyzeModel(read.model)).ok).toBe(true);
  });
});

const python = findPython(['json']);
const runner = fileURLToPath(new URL('./python/run_keras_python.py', import.meta.url));

describe.skipIf(!python)('Keras Python export', () => {
  it('builds exactly the layers, arguments and wiring of the exported Keras JSON (run against a recording stand-in of keras)', () => {
    const models = [
      ...exportable.map((id) => ({ id: id.replace(/\W/g, '_'), analysis: analyzeModel(presetModel(id)) })),
      ...randomModels().slice(0, 30),
    ];
    const jobs = models.map(({ id, analysis }) => {
      const code = toKerasPython(analysis);
      if (!code.ok) throw new Error(id);
      return { id, code: code.value };
    });
    const results = runPython<
      Record<
        string,
        {
          layers?: { class_name: string; name: string; config: Record<string, unknown>; inputs: string[] }[];
          outputs?: string[];
          kind?: string;
          error?: string;
        }
      >
    >(python as string, runner, jobs);
    for (const { id, analysis } of models) {
      const result = results[id];
      expect(result?.error, id).toBeUndefined();
      const graph = kerasGraph(analysis);
      if (!graph.ok) throw new Error(id);
      expect(result?.kind).toBe(graph.value.sequential ? 'Sequential' : 'Model');
      expect(result?.outputs).toEqual(graph.value.outputs);
      const expected = graph.value.layers.map((l) => {
        const config: Record<string, unknown> = { ...l.config };
        if (l.className === 'LeakyReLU') {
          config['negative_slope'] = config['alpha'];
          delete config['alpha'];
        }
        if (l.className === 'TimeDistributed') {
          const inner = config['layer'] as { class_name: string; config: Record<string, unknown> };
          const { name: _n, ...innerConfig } = inner.config;
          return {
            class_name: l.className,
            name: l.name,
            config: { __args__: [{ class_name: inner.class_name, config: innerConfig }] },
            inputs: [...l.inputs],
          };
        }
        return { class_name: l.className, name: l.name, config, inputs: [...l.inputs] };
      });
      expect(result?.layers, id).toEqual(expected);
    }
  });
});
