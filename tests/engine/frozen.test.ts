import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { countIn, countText } from '../../src/engine/analysis/param-counts';
import { applyEdit } from '../../src/engine/model/edits';
import { parseProject, toProjectFile } from '../../src/io/project/format';
import { readModelText } from '../../src/io/read-model';
import { modelFromHash, modelToHash } from '../../src/io/share-url';
import { summaryJson } from '../../src/io/summary/json';
import { summaryText } from '../../src/io/summary/text';
import { analyze } from '../helpers';

const size = (weights: readonly tf.LayerVariable[]) =>
  weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

/** Issue 15's reproduction: a frozen 3×3 Conv2D on 8×8×3, then Flatten and Dense(2). */
function frozenConv() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, trainable: false, name: 'conv' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 2, name: 'head' }),
    ],
  });
}

function imported(model: tf.LayersModel) {
  const read = readModelText(JSON.stringify(model.toJSON(null, false)));
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

describe('frozen layers (trainable: false)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a frozen Conv2D read from tfjs toJSON: Keras counts equal tfjs’ own (290 trainable, 112 non-trainable)', () => {
    const model = frozenConv();
    const analysis = imported(model);
    const keras = countIn(analysis.totals, 'keras');
    expect(keras).toEqual({
      notation: 'keras',
      total: model.countParams(),
      trainable: size(model.trainableWeights),
      nonTrainable: size(model.nonTrainableWeights),
    });
    expect([keras.trainable, keras.nonTrainable]).toEqual([290, 112]);
    expect(summaryText(analysis, 'keras')).toContain('Non-trainable params: 112');
    // PyTorch: the frozen conv's weights are still parameters, with requires_grad False.
    const torch = countIn(analysis.totals, 'pytorch');
    expect([torch.parameters, torch.trainable, torch.buffers]).toEqual([402, 290, 0]);
    expect(countText(torch)).toBe('402 parameters (290 trainable, 112 frozen)');
    const text = summaryText(analysis, 'pytorch');
    expect(text).toContain('Trainable params: 290');
    expect(text).toContain('Non-trainable params: 112');
    const json = summaryJson(analysis);
    expect(json.frameworks.pytorch).toEqual({ parameters: 402, trainable: 290, buffers: 0 });
    expect(json.layers.find((l) => l.name === 'conv')?.frozen).toBe(true);
    model.dispose();
  });

  it('a frozen BatchNormalization: all four tensors non-trainable, as tfjs counts them', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, useBias: false, name: 'conv' }),
        tf.layers.batchNormalization({ trainable: false, name: 'bn' }),
        tf.layers.globalAveragePooling2d({ name: 'gap' }),
        tf.layers.dense({ units: 2, name: 'head' }),
      ],
    });
    const analysis = imported(model);
    expect(countIn(analysis.totals, 'keras')).toEqual({
      notation: 'keras',
      total: model.countParams(),
      trainable: size(model.trainableWeights),
      nonTrainable: size(model.nonTrainableWeights),
    });
    expect(analysis.layers.find((l) => l.name === 'bn')?.nonTrainableParams).toBe(16);
    // PyTorch: gamma and beta are frozen parameters, the running statistics buffers.
    const torch = countIn(analysis.totals, 'pytorch');
    expect([torch.parameters - torch.trainable, torch.buffers]).toEqual([8, 8]);
    model.dispose();
  });

  it('is kept by the project file, share links and an edit; a wrong value is a located problem', () => {
    const model = imported(frozenConv()).model;
    const file = toProjectFile(model);
    const layers = file['layers'] as Record<string, unknown>[];
    expect(layers.map((l) => l['trainable'])).toEqual([undefined, false, undefined, undefined]);
    const back = parseProject(JSON.parse(JSON.stringify(file)));
    expect(back.ok && analyzeModel(back.model).totals.frozenParams).toBe(112);
    const linked = modelFromHash(modelToHash(model));
    expect(linked?.ok && analyzeModel(linked.model).totals.frozenParams).toBe(112);

    const thawed = applyEdit(model, { kind: 'trainable', name: 'conv', trainable: true });
    expect(analyzeModel(thawed).totals.trainableParams).toBe(402);
    expect(thawed.layers[1]).not.toHaveProperty('trainable');
    expect(applyEdit(model, { kind: 'trainable', name: 'conv', trainable: false })).toBe(model);
    // A spec update keeps the layer frozen.
    const spec = model.layers[1]!.spec!;
    expect(
      applyEdit(model, { kind: 'update', name: 'conv', spec: { ...spec, filters: 5 } as typeof spec }).layers[1],
    ).toHaveProperty('trainable', false);

    const bad = parseProject({
      layers: [
        { type: 'Input', shape: [4] },
        { type: 'Dense', units: 2, trainable: 'no' },
      ],
    });
    expect(bad.ok).toBe(true);
    if (!bad.ok) return;
    const diagnostic = analyzeModel(bad.model).diagnostics[0];
    expect(diagnostic?.layer).toBe('dense');
    expect(diagnostic?.text.join('')).toContain('layers[1].trainable: must be true or false');
  });

  it('a frozen block freezes the layers inside it', () => {
    const analysis = analyze([
      { name: 'in', type: 'Input', shape: [8, 8, 16] },
      { name: 'block', type: 'ResNetBasicBlock', filters: 16, trainable: false },
    ]);
    const block = analysis.layers[1]!;
    expect(block.trainableParams).toBe(0);
    expect(block.children?.every((c) => c.frozen && c.trainableParams === 0)).toBe(true);
    expect(block.children?.reduce((n, c) => n + c.nonTrainableParams, 0)).toBe(block.nonTrainableParams);
  });
});

describe('the text summary marks frozen rows', () => {
  /** The table's row of a layer: the line that starts with its name and type. */
  const rowOf = (text: string, name: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${name} (`));

  it('the layers tfjs counts as non-trainable, and only those, carry the mark, with a legend', async () => {
    await tf.setBackend('cpu');
    const model = frozenConv();
    const text = summaryText(imported(model), 'keras');
    const frozenNames = model.layers.filter((l) => !l.trainable).map((l) => l.name);
    expect(frozenNames).toEqual(['conv']);
    expect(text.split('\n').find((l) => l.startsWith('Layer (type)'))).toMatch(/Frozen$/);
    for (const layer of model.layers)
      expect(rowOf(text, layer.name)?.endsWith('❄'), layer.name).toBe(frozenNames.includes(layer.name));
    expect(text).toContain('❄ frozen: trainable=False');
    model.dispose();
  });

  it('a frozen block marks its own row and each layer inside; a model with nothing frozen has no column', () => {
    const text = summaryText(
      analyze([
        { name: 'in', type: 'Input', shape: [8, 8, 16] },
        { name: 'block', type: 'ResNetBasicBlock', filters: 16, trainable: false },
        { name: 'head', type: 'Conv2D', filters: 2, kernelSize: 1 },
      ]),
    );
    const marked = text.split('\n').filter((l) => l.endsWith('❄'));
    expect(rowOf(text, 'block')?.endsWith('❄')).toBe(true);
    expect(rowOf(text, 'head')?.endsWith('❄')).toBe(false);
    expect(marked.length).toBeGreaterThan(2);
    const plain = summaryText(
      analyze([
        { name: 'in', type: 'Input', shape: [4] },
        { type: 'Dense', units: 2 },
      ]),
    );
    expect(plain).not.toContain('Frozen');
    expect(plain).not.toContain('❄');
  });
});

describe('totals when a layer cannot be analysed', () => {
  const layers = [
    { name: 'in', type: 'Input', shape: [8, 8, 3] },
    { name: 'conv', type: 'Conv2D', filters: 4, kernelSize: 3 },
    { name: 'mystery', type: 'NoSuchLayer' },
    { name: 'flat', type: 'Flatten' },
    { name: 'head', type: 'Dense', units: 2 },
  ];

  it('say "at least" in text and complete: false in JSON, never an exact-looking undercount', () => {
    const analysis = analyze(layers);
    expect(analysis.totals.complete).toBe(false);
    // Only the conv before the unknown layer is counted (3·3·3·4 + 4).
    expect(analysis.totals.params).toBe(112);
    for (const notation of ['pytorch', 'keras'] as const) {
      const text = summaryText(analysis, notation);
      expect(text).toContain('Total params: at least 112');
      expect(text).not.toMatch(/Total params: 112/);
    }
    expect(summaryJson(analysis).complete).toBe(false);
  });

  it('a model that is analysed fully is complete', () => {
    const analysis = analyze(layers.filter((l) => l.name !== 'mystery'));
    expect(analysis.totals.complete).toBe(true);
    expect(summaryJson(analysis).complete).toBe(true);
    expect(summaryText(analysis)).not.toContain('at least');
  });
});
