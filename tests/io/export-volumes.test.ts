import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { shapeIn } from '../../src/engine/notation';
import type { DataFormat } from '../../src/engine/shape/shape';
import { kerasGraph } from '../../src/io/export/keras-graph';
import { toKerasJson } from '../../src/io/export/keras-json';
import { toKerasPython } from '../../src/io/export/keras-python';
import { toPyTorch } from '../../src/io/export/pytorch';
import { toTrainScript } from '../../src/io/export/train-script';
import { parseProject } from '../../src/io/project/format';
import { readModelData } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';
import { findPython, runPython } from './python/find-python';

/**
 * The 3-D layers exported to PyTorch run under real PyTorch (nn.Conv3d, nn.MaxPool3d,
 * nn.AvgPool3d, F.pad, F.interpolate): every layer's output shape and the parameter count must
 * be the engine's. That is also the oracle for the kinds tfjs-layers lacks (global 3-D pooling,
 * ZeroPadding3D, Cropping3D, UpSampling3D). Keras JSON: export → import keeps the summary, and
 * what tfjs knows (Conv3D, 3-D pooling; not ZeroPadding3D) loads in tfjs with the engine's shapes.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const python = findPython(['torch']);
const script = fileURLToPath(new URL('./python/check_torch.py', import.meta.url));

type Layer = Record<string, unknown>;
const small = (max: number) => fc.integer({ min: 1, max });
const triple = (max: number) => fc.array(small(max), { minLength: 3, maxLength: 3 });
const pad = fc.oneof(
  fc.constantFrom<unknown>('valid', 'same'),
  fc.integer({ min: 0, max: 1 }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
    minLength: 3,
    maxLength: 3,
  }),
);
const sides = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
    minLength: 3,
    maxLength: 3,
  }),
);

const stepArb: fc.Arbitrary<Layer> = fc.oneof(
  fc.record({
    type: fc.constant('Conv3D'),
    filters: fc.constantFrom(2, 4),
    kernelSize: triple(3),
    strides: fc.oneof(fc.constant(1), triple(2)),
    padding: pad,
    groups: fc.constantFrom(1, 1, 2),
    useBias: fc.boolean(),
  }),
  fc.record({ type: fc.constant('Conv3D'), filters: small(3), kernelSize: fc.constant(2), dilationRate: triple(2) }),
  fc.record({
    type: fc.constantFrom('MaxPooling3D', 'AveragePooling3D'),
    poolSize: triple(3),
    strides: fc.option(triple(2), { nil: null }),
    padding: fc.constantFrom<unknown>('valid', 'same', 0, 1),
    ceilMode: fc.boolean(),
  }),
  fc.record({ type: fc.constant('ZeroPadding3D'), padding: sides }),
  fc.record({ type: fc.constant('Cropping3D'), cropping: sides }),
  fc.record({ type: fc.constant('UpSampling3D'), size: fc.oneof(small(2), triple(2)) }),
);

const modelArb = fc.record({
  format: fc.constantFrom<DataFormat>('channels_last', 'channels_first'),
  spatial: fc.array(fc.integer({ min: 4, max: 10 }), { minLength: 3, maxLength: 3 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
  head: fc.constantFrom('none', 'GlobalAveragePooling3D', 'GlobalMaxPooling3D', 'keepdims'),
});

function randomVolumes(count: number, seed: number): { id: string; analysis: Analysis }[] {
  const models: { id: string; analysis: Analysis }[] = [];
  fc.sample(modelArb, { numRuns: count * 6, seed }).forEach((m, i) => {
    const channels = 4;
    const shape = m.format === 'channels_last' ? [...m.spatial, channels] : [channels, ...m.spatial];
    const layers: Layer[] = [{ type: 'Input', shape }, ...m.steps];
    if (m.head === 'keepdims') layers.push({ type: 'GlobalAveragePooling3D', keepdims: true });
    else if (m.head !== 'none') layers.push({ type: m.head }, { type: 'Dense', units: 3 });
    const read = parseProject({ format: 'convscope.model', version: 1, dataFormat: m.format, layers });
    if (!read.ok) return;
    const analysis = analyzeModel(read.model);
    if (analysis.ok && models.length < count) models.push({ id: `v${i}`, analysis });
  });
  return models;
}

interface Result {
  shapes?: Record<string, number[]>;
  params?: number;
  error?: string;
}

describe.skipIf(!python)('3-D layers exported to PyTorch, run under real PyTorch', () => {
  it('random Conv3D / pooling / padding / cropping / upsampling / global pooling stacks, both layouts: each layer’s shape and the parameters', () => {
    // Ceil mode with padding PyTorch pooling cannot take is refused, located; the rest run.
    const models = randomVolumes(70, 33).filter((m) => toPyTorch(m.analysis).ok);
    expect(models.length).toBeGreaterThan(55);
    const kinds = new Set(models.flatMap((m) => m.analysis.layers.map((l) => l.spec?.type)));
    for (const kind of ['Conv3D', 'MaxPooling3D', 'AveragePooling3D', 'ZeroPadding3D', 'Cropping3D', 'UpSampling3D'])
      expect(kinds).toContain(kind);
    const jobs = models.map(({ id, analysis }) => {
      const exported = toPyTorch(analysis);
      if (!exported.ok) throw new Error(`${id}: ${JSON.stringify(exported.problems)}`);
      return { id, analysis, exported: exported.value };
    });
    const modules = jobs.map((j) => j.exported.code).join('\n');
    for (const module of ['nn.Conv3d(', 'nn.MaxPool3d(', 'nn.AvgPool3d(']) expect(modules).toContain(module);
    const results = runPython<Record<string, Result>>(
      python as string,
      script,
      jobs.map(({ id, exported }) => ({ id, code: exported.code, inputs: exported.inputs })),
    );
    for (const { id, analysis, exported } of jobs) {
      const result = results[id] as Result;
      expect(result.error, `${id} runs in PyTorch`).toBeUndefined();
      for (const layer of analysis.layers) {
        if (layer.spec?.type === 'Input' || !layer.output) continue;
        const local = exported.locals[layer.name] as string;
        expect(result.shapes?.[local], `${id}: ${layer.name} (${layer.spec?.type})`).toEqual([
          1,
          ...shapeIn(layer.output, analysis.model.dataFormat, 'pytorch'),
        ]);
      }
      expect(result.params, `${id}: parameters`).toBe(analysis.totals.params);
    }
  });
});

describe('the PyTorch training script', () => {
  it('is refused for a volume model, saying why, where the module itself exports', () => {
    const [volume] = randomVolumes(1, 35);
    expect(toPyTorch(volume!.analysis).ok).toBe(true);
    const script = toTrainScript(volume!.analysis);
    expect(script.ok).toBe(false);
    if (!script.ok)
      expect(script.problems[0]?.message).toMatch(
        /trains on 2-D images .* volumes \(channels × depth × height × width\)/,
      );
  });
});

describe('3-D layers exported to Keras JSON', () => {
  it('export → import keeps every layer’s shape, parameters, MACs and receptive field', () => {
    const models = randomVolumes(40, 34);
    let exported = 0;
    for (const { id, analysis } of models) {
      const json = toKerasJson(analysis);
      // Keras pooling has no ceil mode: such models are refused (located), not written.
      if (!json.ok) {
        expect(json.problems.length, id).toBeGreaterThan(0);
        continue;
      }
      exported++;
      const read = readModelData(JSON.parse(JSON.stringify(json.value)));
      if (!read.ok) throw new Error(`${id}: ${read.error}`);
      expect(read.model.dataFormat).toBe(analysis.model.dataFormat);
      const before = summaryJson(analysis);
      const after = summaryJson(analyzeModel(read.model));
      expect([after.totalParams, after.macs], id).toEqual([before.totalParams, before.macs]);
      for (const layer of before.layers) {
        const same = after.layers.find((l) => l.name === layer.name);
        if (!same) continue;
        expect([same.outputShape, same.params, same.receptiveField], `${id} ${layer.name}`).toEqual([
          layer.outputShape,
          layer.params,
          layer.receptiveField,
        ]);
      }
    }
    expect(exported).toBeGreaterThan(20);
  });

  it('a Conv3D / pooling model loads in TensorFlow.js modelFromJSON with the engine’s shapes', async () => {
    for (const dataFormat of ['channels_last', 'channels_first'] as const) {
      const read = parseProject({
        format: 'convscope.model',
        version: 1,
        dataFormat,
        layers: [
          { name: 'clip', type: 'Input', shape: dataFormat === 'channels_last' ? [16, 28, 28, 3] : [3, 16, 28, 28] },
          { name: 'c1', type: 'Conv3D', filters: 8, kernelSize: [3, 5, 5], strides: [1, 2, 2], padding: 'same' },
          { name: 'p1', type: 'MaxPooling3D', poolSize: [2, 2, 2] },
          { name: 'c2', type: 'Conv3D', filters: 6, kernelSize: 3, dilationRate: [1, 2, 1] },
          { name: 'p2', type: 'AveragePooling3D', poolSize: 2, padding: 'same' },
          { name: 'flat', type: 'Flatten' },
          { name: 'out', type: 'Dense', units: 5 },
        ],
      });
      if (!read.ok) throw new Error(read.error);
      const analysis = analyzeModel(read.model);
      const json = toKerasJson(analysis);
      if (!json.ok) throw new Error(JSON.stringify(json.problems));
      const model = await tf.models.modelFromJSON({ modelTopology: json.value as never });
      for (const layer of analysis.layers) {
        const theirs = model.layers.find((l) => l.name === layer.name);
        expect([null, ...(layer.output ?? [])], `${dataFormat} ${layer.name}`).toEqual(theirs?.outputShape);
        expect(theirs?.countParams(), `${dataFormat} ${layer.name}`).toBe(layer.params);
      }
      model.dispose();
    }
  });
});

describe.skipIf(!python)('3-D layers exported to Keras Python', () => {
  it('build exactly the layers, arguments and wiring of the Keras JSON (run against the recording stand-in of keras)', () => {
    const models = randomVolumes(30, 36).filter((m) => kerasGraph(m.analysis).ok);
    expect(models.length).toBeGreaterThan(15);
    const jobs = models.map(({ id, analysis }) => {
      const code = toKerasPython(analysis);
      if (!code.ok) throw new Error(id);
      return { id, code: code.value };
    });
    const runner = fileURLToPath(new URL('./python/run_keras_python.py', import.meta.url));
    const results = runPython<
      Record<string, { layers?: { class_name: string; name: string; inputs: string[] }[]; error?: string }>
    >(python as string, runner, jobs);
    const classes = new Set<string>();
    for (const { id, analysis } of models) {
      const result = results[id];
      expect(result?.error, id).toBeUndefined();
      const graph = kerasGraph(analysis);
      if (!graph.ok) throw new Error(id);
      const expected = graph.value.layers.map((l) => ({
        class_name: l.className,
        name: l.name,
        config: { ...l.config },
        inputs: [...l.inputs],
      }));
      expect(result?.layers, id).toEqual(expected);
      for (const l of graph.value.layers) classes.add(l.className);
    }
    for (const c of ['Conv3D', 'MaxPooling3D', 'AveragePooling3D', 'ZeroPadding3D', 'Cropping3D', 'UpSampling3D'])
      expect(classes).toContain(c);
  });
});
