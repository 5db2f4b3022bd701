import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import type { DataFormat } from '../../src/engine/shape/shape';
import { weightIn } from '../../src/engine/notation';
import { importKeras } from '../../src/io/keras/import';
import { analyze, layerOf } from '../helpers';

/**
 * Oracle for the 3-D layers (video, volumetric U-Nets): tfjs-layers 4.22 has Conv3D,
 * MaxPooling3D and AveragePooling3D; random stacks of them are built with tfjs and as a project
 * file, in both layouts, and every output shape, weight shape and parameter count must agree,
 * also after the JSON tfjs writes (`model.toJSON()`) goes through the Keras importer. tfjs has
 * no global 3-D pooling, UpSampling3D, ZeroPadding3D or Cropping3D: those are checked against
 * real PyTorch (tests/io/export-volumes.test.ts).
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Step =
  | { kind: 'conv'; filters: number; kernel: number[]; strides: number[]; dilation: number[]; same: boolean }
  | { kind: 'pool'; max: boolean; size: number[]; strides: number[] | null; same: boolean };

interface Recipe {
  readonly format: DataFormat;
  readonly spatial: number[];
  readonly channels: number;
  readonly steps: Step[];
  readonly flatten: boolean;
}

const small = (max: number) => fc.integer({ min: 1, max });
const triple = (max: number) => fc.array(small(max), { minLength: 3, maxLength: 3 });
const ones = [1, 1, 1];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Keras and tfjs refuse stride > 1 with dilation > 1: one or the other.
  fc.record({
    kind: fc.constant('conv' as const),
    filters: small(6),
    kernel: triple(4),
    strides: triple(3),
    dilation: fc.constant(ones),
    same: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('conv' as const),
    filters: small(6),
    kernel: triple(3),
    strides: fc.constant(ones),
    dilation: triple(3),
    same: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('pool' as const),
    max: fc.boolean(),
    size: triple(3),
    strides: fc.option(triple(3), { nil: null }),
    same: fc.boolean(),
  }),
);

const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  format: fc.constantFrom<DataFormat>('channels_last', 'channels_first'),
  spatial: fc.array(fc.integer({ min: 2, max: 14 }), { minLength: 3, maxLength: 3 }),
  channels: small(4),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
  flatten: fc.boolean(),
});

function inputShape(r: Recipe): number[] {
  return r.format === 'channels_last' ? [...r.spatial, r.channels] : [r.channels, ...r.spatial];
}

function projectLayers(r: Recipe): Record<string, unknown>[] {
  const layers: Record<string, unknown>[] = [{ name: 'in', type: 'Input', shape: inputShape(r) }];
  r.steps.forEach((s, i) => {
    const padding = s.same ? 'same' : 'valid';
    layers.push(
      s.kind === 'conv'
        ? {
            name: `l${i}`,
            type: 'Conv3D',
            filters: s.filters,
            kernelSize: s.kernel,
            strides: s.strides,
            dilationRate: s.dilation,
            padding,
          }
        : {
            name: `l${i}`,
            type: s.max ? 'MaxPooling3D' : 'AveragePooling3D',
            poolSize: s.size,
            strides: s.strides,
            padding,
          },
    );
  });
  if (r.flatten) layers.push({ name: 'flat', type: 'Flatten' }, { name: 'out', type: 'Dense', units: 3 });
  return layers;
}

/** The same stack with tfjs-layers; where tfjs throws or makes a size ≤ 0, the layer it refused. */
function tfjsModel(r: Recipe): { model?: tf.LayersModel; failedAt?: string } {
  const dataFormat = r.format === 'channels_last' ? 'channelsLast' : 'channelsFirst';
  const input = tf.input({ shape: inputShape(r), name: 'in' });
  let x: tf.SymbolicTensor = input;
  let name = '';
  try {
    r.steps.forEach((s, i) => {
      name = `l${i}`;
      const padding = s.same ? 'same' : 'valid';
      const layer =
        s.kind === 'conv'
          ? tf.layers.conv3d({
              name,
              filters: s.filters,
              kernelSize: s.kernel,
              strides: s.strides,
              dilationRate: s.dilation as [number, number, number],
              padding,
              dataFormat,
            })
          : (s.max ? tf.layers.maxPooling3d : tf.layers.averagePooling3d)({
              name,
              poolSize: s.size as [number, number, number],
              ...(s.strides ? { strides: s.strides as [number, number, number] } : {}),
              padding,
              dataFormat,
            });
      x = layer.apply(x) as tf.SymbolicTensor;
      if (x.shape.some((d) => d !== null && d <= 0)) throw new Error('size ≤ 0');
    });
    if (r.flatten) {
      name = 'flat';
      x = tf.layers.flatten({ name }).apply(x) as tf.SymbolicTensor;
      name = 'out';
      x = tf.layers.dense({ name, units: 3 }).apply(x) as tf.SymbolicTensor;
    }
    return { model: tf.model({ inputs: input, outputs: x }) };
  } catch (e) {
    if (!/size ≤ 0|negative|non-positive|must be positive/i.test((e as Error).message)) throw e;
    return { failedAt: name };
  }
}

function expectSame(analysis: Analysis, model: tf.LayersModel, label: string) {
  for (const layer of model.layers) {
    const ours = layerOf(analysis, layer.name);
    expect([null, ...(ours.output ?? [])], `${label}: ${layer.name} output`).toEqual(layer.outputShape);
    expect(ours.params, `${label}: ${layer.name} parameters`).toBe(layer.countParams());
    // Keras notation is tfjs' own: kernel kd×kh×kw×in×filters, then the bias.
    expect(
      ours.weights.map((w) => weightIn(w, 'keras').shape),
      `${label}: ${layer.name} weights`,
    ).toEqual(layer.weights.map((w) => w.shape));
  }
  expect(analysis.totals.params, `${label}: total`).toBe(model.countParams());
}

describe('3-D layers ≡ tfjs-layers', () => {
  it('random Conv3D / MaxPooling3D / AveragePooling3D stacks (strides, dilation, valid/same), both layouts, and through tfjs toJSON → Keras import', () => {
    const outcomes = { built: 0, refused: 0, first: 0 };
    fc.assert(
      fc.property(recipeArb, (r) => {
        const ours = analyze(projectLayers(r), r.format);
        const error = ours.diagnostics.find((d) => d.severity === 'error');
        const tfjs = tfjsModel(r);
        if (!tfjs.model) {
          outcomes.refused++;
          expect(error?.layer, `tfjs refused ${tfjs.failedAt}`).toBe(tfjs.failedAt);
          return;
        }
        outcomes.built++;
        if (r.format === 'channels_first') outcomes.first++;
        expect(error).toBeUndefined();
        expectSame(ours, tfjs.model, 'project file');
        const imported = importKeras(tfjs.model.toJSON(null, false));
        expect(imported.ok).toBe(true);
        if (imported.ok) {
          expect(imported.model.dataFormat).toBe(r.format);
          expectSame(analyzeModel(imported.model), tfjs.model, 'tfjs toJSON → Keras import');
        }
      }),
      { numRuns: 300, seed: 3 },
    );
    expect(outcomes.built).toBeGreaterThan(80);
    expect(outcomes.first).toBeGreaterThan(30);
    expect(outcomes.refused).toBeGreaterThan(10);
  });

  it('Conv3D weights: filters×in×kd×kh×kw in PyTorch notation, kd×kh×kw×in×filters in Keras; MACs and receptive field per axis', () => {
    const a = analyze(
      [
        { name: 'in', type: 'Input', shape: [16, 32, 32, 3] },
        { name: 'c1', type: 'Conv3D', filters: 8, kernelSize: [3, 5, 5], padding: 'same' },
        { name: 'p1', type: 'MaxPooling3D', poolSize: [1, 2, 2] },
        { name: 'c2', type: 'Conv3D', filters: 4, kernelSize: 3, strides: [2, 1, 1] },
      ],
      'channels_last',
    );
    const c1 = layerOf(a, 'c1');
    expect(c1.weights.map((w) => weightIn(w, 'pytorch').shape)).toEqual([[8, 3, 3, 5, 5], [8]]);
    expect(c1.weights.map((w) => weightIn(w, 'keras').shape)).toEqual([[3, 5, 5, 3, 8], [8]]);
    // Every output position × filter sums in × kd × kh × kw products.
    expect(c1.macs).toBe(16 * 32 * 32 * 8 * (3 * 3 * 5 * 5));
    const c2 = layerOf(a, 'c2');
    expect(c2.output).toEqual([7, 14, 14, 4]);
    // Depth: 3 then 3 at stride 1; height/width: 5, then ×2 pooling, then 3 taps 2 apart.
    expect(c2.receptiveField?.axes.map((x) => x.size)).toEqual([5, 5 + 1 + 2 * 2, 5 + 1 + 2 * 2]);
    expect(c2.receptiveField?.axes.map((x) => x.jump)).toEqual([2, 2, 2]);
  });
});
