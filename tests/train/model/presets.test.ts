import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { presetModel, presets } from '../../../src/presets';
import { buildModel } from '../../../src/train/model/build';
import { compareWithEngine } from '../../../src/train/model/compare';
import { analyze } from '../../helpers';
import { buildExact, engineLayers, expectActualShapes } from './helpers';

/**
 * Every preset built in tfjs has the engine's shapes and parameters, layer by layer (blocks'
 * layers too); the small ones also run, and their actual tensors have those shapes.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Sizes for the presets whose input is open. */
const INPUT: Record<string, number[]> = { fcn: [32, 32, 3], 'flatten-dense': [32, 32, 3] };
/** Small enough to run on the CPU backend in a test. */
const RUN = new Set([
  'resnet20-a',
  'resnet20-b',
  'mnist',
  'two-channel',
  'fcn',
  'flatten-dense',
  'causal-dilated',
  'multi-feature-causal',
  'lenet5',
]);
/** Published parameter counts (Keras Applications, torchvision, He et al. 2015, LeCun et al. 1998). */
const PUBLISHED: Record<string, number> = {
  vgg16: 138_357_544,
  resnet50: 25_636_712,
  alexnet: 61_100_840,
  mobilenet: 4_253_864,
  lenet5: 61_706,
};

describe('presets: tfjs model = engine', () => {
  for (const preset of presets) {
    it(`${preset.id}: every layer's shape and parameters${RUN.has(preset.id) ? ', and a forward pass' : ''}`, () => {
      const analysis = analyzeModel(presetModel(preset.id));
      const inputShape = INPUT[preset.id];
      const model = buildExact(analysis, inputShape ? { inputShape } : {});
      try {
        const used = inputShape ? analyzeModel(withShape(preset.id, inputShape)) : analysis;
        expect(model.countParams()).toBe(used.totals.params);
        if (PUBLISHED[preset.id]) expect(model.countParams()).toBe(PUBLISHED[preset.id]);
        for (const l of engineLayers(used)) expect(() => model.getLayer(l.name), l.path).not.toThrow();
        for (const l of used.layers) expect(model.getLayer(l.name).name).toBe(l.name);
        if (RUN.has(preset.id)) expectActualShapes(model, used);
      } finally {
        model.dispose();
      }
    });
  }
});

function withShape(id: string, shape: number[]) {
  const model = presetModel(id);
  return {
    ...model,
    layers: model.layers.map((l) => (l.spec?.type === 'Input' ? { ...l, spec: { ...l.spec, shape } } : l)),
  };
}

describe('compareWithEngine finds a model that differs', () => {
  it('reports the shortcut projections and the total when ResNet-20 option A is checked against option B', () => {
    const a = buildExact(analyzeModel(presetModel('resnet20-a')));
    const mismatches = compareWithEngine(a, analyzeModel(presetModel('resnet20-b')));
    a.dispose();
    // Option B's projections are missing: stage 2's 1×1 convolution (16·32) and its batch norm (4·32).
    expect(mismatches).toContainEqual({ layer: 'stage2_block1', what: 'params', engine: '14,720', tfjs: '14,080' });
    expect(mismatches).toContainEqual({
      layer: 'stage2_block1/shortcut_conv',
      what: 'missing',
      engine: 'Conv2D 16×16×32',
      tfjs: 'none',
    });
    expect(mismatches).toContainEqual({ layer: '(total)', what: 'params', engine: '274,042', tfjs: '271,098' });
  });

  it('reports a layer whose filters differ: its shape, its parameters and what it feeds', () => {
    const built = buildExact(analyzeModel(presetModel('mnist')));
    const other = presetModel('mnist');
    const changed = {
      ...other,
      layers: other.layers.map((l) =>
        l.name === 'conv2' && l.spec?.type === 'Conv2D' ? { ...l, spec: { ...l.spec, filters: 32 } } : l,
      ),
    };
    const mismatches = compareWithEngine(built, analyzeModel(changed));
    built.dispose();
    expect(mismatches).toContainEqual({ layer: 'conv2', what: 'shape', engine: '14×14×32', tfjs: '14×14×64' });
    expect(mismatches).toContainEqual({ layer: 'conv2', what: 'params', engine: '25,632', tfjs: '51,264' });
    expect(mismatches.map((m) => m.layer)).toContain('fc1');
  });
});

describe('open input sizes, errors, names', () => {
  it('gives an open-size model the data’s size, and runs it at two sizes', () => {
    const analysis = analyzeModel(presetModel('fcn'));
    for (const shape of [
      [32, 32, 3],
      [48, 40, 3],
    ]) {
      const model = buildExact(analysis, { inputShape: shape });
      expect(model.inputs[0]!.shape).toEqual([null, ...shape]);
      expect(model.getLayer('pool2').outputShape).toEqual([null, shape[0]! / 4, shape[1]! / 4, 64]);
      model.dispose();
    }
  });

  it('refuses data that does not fit a fixed input, and a model with errors, naming the layer', () => {
    const resnet = buildModel(analyzeModel(presetModel('resnet20-a')), { inputShape: [28, 28, 1] });
    expect(resnet).toMatchObject({ ok: false });
    expect(!resnet.ok && resnet.error).toContain('32×32×3');
    const broken = buildModel(
      analyze([
        { name: 'in', type: 'Input', shape: [4, 4, 1] },
        { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: 5 },
      ]),
    );
    expect(broken).toMatchObject({ ok: false, layer: 'conv' });
  });

  it('names a layer tfjs would refuse (spaces, slashes) so that it still builds and compares', () => {
    const analysis = analyze([
      { name: 'my input', type: 'Input', shape: [8, 8, 1] },
      { name: 'conv/1 ×', type: 'Conv2D', filters: 2, kernelSize: 3 },
      { name: 'u.odd', type: 'Flatten' },
    ]);
    const model = buildExact(analysis);
    expect(model.layers.map((l) => l.name)).toEqual(['u.6d7920696e707574', 'u.636f6e762f3120c397', 'u.752e6f6464']);
    model.dispose();
  });

  it('frees every tensor of a model it builds and disposes', () => {
    const before = tf.memory().numTensors;
    const model = buildExact(analyzeModel(presetModel('resnet20-a')));
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
