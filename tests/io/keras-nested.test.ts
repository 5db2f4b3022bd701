import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis, LayerResult } from '../../src/engine/analysis/result';
import { exportModel } from '../../src/io/export';
import { readModelText } from '../../src/io/read-model';
import { buildModel } from '../../src/train/model/build';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function importModel(model: tf.LayersModel): Analysis {
  const read = readModelText(JSON.stringify(model.toJSON(null, false)));
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

/** Every layer of a tfjs model (nested models' layers too) against the engine's row or block child. */
function expectSameAsTfjs(model: tf.LayersModel, rows: readonly LayerResult[]) {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const ours = rows.find((r) => r.name === layer.name);
    expect(ours, layer.name).toBeDefined();
    expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
    expect(ours?.params, layer.name).toBe(layer.countParams());
    if (layer instanceof tf.LayersModel) expectSameAsTfjs(layer, ours?.children ?? []);
  }
}

/** Teachable Machine's image model: Sequential[Sequential(a convolutional base), Sequential(head)]. */
function teachableMachineLike() {
  const base = tf.sequential({
    name: 'sequential_1',
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, strides: 2, name: 'conv_a' }),
      tf.layers.batchNormalization({ name: 'bn_a' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, name: 'conv_b' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
    ],
  });
  const head = tf.sequential({
    name: 'sequential_3',
    layers: [
      tf.layers.dense({ inputShape: [16], units: 100, activation: 'relu', name: 'dense_Dense1' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'dense_Dense2' }),
    ],
  });
  return tf.sequential({ name: 'teachable', layers: [base, head] });
}

/** A functional model (two branches added) nested in a Sequential after a convolution. */
function functionalInside() {
  const x = tf.input({ shape: [14, 14, 4], name: 'branch_in' });
  const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'left' }).apply(x);
  const b = tf.layers.conv2d({ filters: 6, kernelSize: 1, name: 'right' }).apply(x);
  const sum = tf.layers.add({ name: 'join' }).apply([a, b] as tf.SymbolicTensor[]);
  const pooled = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(sum) as tf.SymbolicTensor;
  const branches = tf.model({ inputs: x, outputs: pooled, name: 'branches' });
  return tf.sequential({
    name: 'outer',
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, name: 'stem' }),
      branches,
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 5, name: 'out' }),
    ],
  });
}

describe('a model used as a layer is analysed as a block, checked against tfjs-layers', () => {
  it('Teachable Machine-style Sequential[Sequential, Sequential]: every shape and count equals tfjs', () => {
    const source = teachableMachineLike();
    const analysis = importModel(source);
    expect(analysis.diagnostics).toEqual([]);
    expectSameAsTfjs(source, analysis.layers);
    expect(analysis.totals.params).toBe(source.countParams());
    const base = analysis.layers.find((l) => l.name === 'sequential_1');
    expect(base?.type).toBe('Sequential');
    expect(base?.children?.map((c) => c.name)).toEqual(['conv_a', 'bn_a', 'conv_b', 'gap']);
    expect(base?.nonTrainableParams).toBe(16);
  });

  it('a functional model inside a Sequential: its branches, its output and its total', () => {
    const source = functionalInside();
    const analysis = importModel(source);
    expect(analysis.diagnostics).toEqual([]);
    expectSameAsTfjs(source, analysis.layers);
    expect(analysis.totals.params).toBe(source.countParams());
    const branches = analysis.layers.find((l) => l.name === 'branches');
    expect(branches?.children?.find((c) => c.name === 'join')?.inputs).toEqual(['left', 'right']);
    expect(branches?.children?.find((c) => c.name === 'left')?.inputs).toEqual(['input']);
    // A block's receptive field is measured from the model input: stem 3, then left's 3×3.
    expect(branches?.receptiveField?.axes[0]?.size).toBe(6);
  });

  it('a Sequential inside a functional model (an ensemble of one base): wired by its name, counted in full', () => {
    const x = tf.input({ shape: [16, 16, 3], name: 'image' });
    const base = tf.sequential({
      name: 'base',
      layers: [
        tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, name: 'c1' }),
        tf.layers.flatten({ name: 'f' }),
      ],
    });
    const features = base.apply(x) as tf.SymbolicTensor;
    const a = tf.layers.dense({ units: 3, name: 'head_a' }).apply(features) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, name: 'head_b' }).apply(features) as tf.SymbolicTensor;
    const out = tf.layers.average({ name: 'vote' }).apply([a, b]) as tf.SymbolicTensor;
    const source = tf.model({ inputs: x, outputs: out, name: 'ensemble' });
    const analysis = importModel(source);
    expect(analysis.diagnostics).toEqual([]);
    expectSameAsTfjs(source, analysis.layers);
    expect(analysis.totals.params).toBe(source.countParams());
    expect(analysis.layers.find((l) => l.name === 'head_a')?.inputs).toEqual(['base']);
  });

  it('keeps the file’s trainable flags in the nested layers (as Keras writes a frozen base)', () => {
    const source = teachableMachineLike();
    // Keras' model.trainable = False sets every inner layer's flag, which is what its JSON holds.
    for (const layer of (source.layers[0] as tf.LayersModel).layers) layer.trainable = false;
    const read = readModelText(JSON.stringify(source.toJSON(null, false)));
    if (!read.ok) throw new Error(read.error);
    const base = read.model.layers.find((l) => l.name === 'sequential_1');
    const head = read.model.layers.find((l) => l.name === 'sequential_3');
    if (base?.spec?.type !== 'NestedModel' || head?.spec?.type !== 'NestedModel') throw new Error('not nested');
    expect(base.spec.layers.map((l) => l.trainable)).toEqual([false, false, false, false]);
    expect(head.spec.layers.map((l) => l.trainable)).toEqual([true, true]);
  });

  it('counts a frozen base as Keras does, and trains only the head in the tab', () => {
    const source = teachableMachineLike();
    for (const layer of (source.layers[0] as tf.LayersModel).layers) layer.trainable = false;
    const count = (ws: readonly tf.LayerVariable[]) =>
      ws.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
    const analysis = importModel(source);
    // tfjs' own split of the same model is the oracle.
    expect(analysis.totals.trainableParams).toBe(count(source.trainableWeights));
    expect(analysis.totals.nonTrainableParams).toBe(count(source.nonTrainableWeights));
    expect(analysis.totals.trainableParams).toBe(100 * 16 + 100 + 3 * 100 + 3);
    const base = analysis.layers.find((l) => l.name === 'sequential_1');
    expect(base?.children?.every((c) => c.frozen)).toBe(true);
    const built = buildModel(analysis);
    if (!built.ok) throw new Error(built.error);
    expect(count(built.model.trainableWeights)).toBe(analysis.totals.trainableParams);
    built.model.dispose();
  });

  it('exports to Keras with its layers inline (same total, loads in tfjs), and to PyTorch as a module class', async () => {
    const source = functionalInside();
    const analysis = importModel(source);
    const json = exportModel(analysis, 'keras-json');
    if (!json.ok) throw new Error(JSON.stringify(json.problems));
    const back = await tf.models.modelFromJSON({ modelTopology: JSON.parse(json.value) as never });
    expect(back.countParams()).toBe(source.countParams());
    expect(back.outputs[0]?.shape).toEqual(source.outputs[0]?.shape);
    // Run in real PyTorch by export-pytorch-nested.test.ts.
    const torch = exportModel(analysis, 'pytorch');
    expect(torch.ok && torch.value).toContain('class Nested_branches(nn.Module):');
  });

  it('trains in the tab: the tfjs model built from it matches the engine', () => {
    const built = buildModel(importModel(teachableMachineLike()));
    if (!built.ok) throw new Error(built.error);
    expect(built.mismatches).toEqual([]);
    expect(built.model.countParams()).toBe(teachableMachineLike().countParams());
    built.model.dispose();
  });

  it('an unsupported layer inside is located at the nested model, naming the inner layer', () => {
    const text = JSON.stringify(teachableMachineLike().toJSON(null, false));
    const read = readModelText(
      text.replace(
        '{"class_name":"Conv2D","config":{"filters":16',
        '{"class_name":"MyCustomConv","config":{"filters":16',
      ),
    );
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    expect(analysis.diagnostics).toHaveLength(1);
    expect(analysis.diagnostics[0]).toMatchObject({ layer: 'sequential_1', severity: 'error' });
    expect(JSON.stringify(analysis.diagnostics[0]?.text)).toContain("inner layer 'conv_b'");
  });

  it('models nested past the limit are a located error, not a crash', () => {
    let inner: Record<string, unknown> = {
      class_name: 'Sequential',
      config: { name: 'm0', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] },
    };
    for (let i = 1; i <= 12; i++) inner = { class_name: 'Sequential', config: { name: `m${i}`, layers: [inner] } };
    const top = {
      class_name: 'Sequential',
      config: {
        name: 'top',
        layers: [{ class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 4] } }, inner],
      },
    };
    const read = readModelText(JSON.stringify(top));
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    expect(analysis.diagnostics).toHaveLength(1);
    expect(analysis.diagnostics[0]).toMatchObject({ layer: 'm12', severity: 'error' });
    expect(JSON.stringify(analysis.diagnostics[0]?.text)).toContain('nested more than 8 deep');
  });

  it('a channels_first model inside makes the whole model channels_first, as tfjs reads it', () => {
    const base = tf.sequential({
      name: 'base',
      layers: [
        tf.layers.conv2d({
          inputShape: [3, 12, 12],
          filters: 5,
          kernelSize: 3,
          dataFormat: 'channelsFirst',
          name: 'c',
        }),
      ],
    });
    const source = tf.sequential({ name: 'outer', layers: [base, tf.layers.flatten({ name: 'flat' })] });
    const analysis = importModel(source);
    expect(analysis.model.dataFormat).toBe('channels_first');
    expectSameAsTfjs(source, analysis.layers);
  });
});
