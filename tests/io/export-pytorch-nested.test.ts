import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { toPyTorch } from '../../src/io/export/pytorch';
import { readModelText } from '../../src/io/read-model';
import { analyze } from '../helpers';
import { findPython, runPython } from './python/find-python';

/**
 * Issue 15: a model used as a layer (Teachable Machine's frozen base, a functional block in a
 * Sequential) exported to PyTorch as an nn.Module class of its own, run in real PyTorch and
 * counted against tfjs-layers, which built the same models.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function imported(model: tf.LayersModel): Analysis {
  const read = readModelText(JSON.stringify(model.toJSON(null, false)));
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

const size = (weights: readonly tf.LayerVariable[]) =>
  weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

/** Teachable Machine's image model: a frozen convolutional base and a trainable head, each a Sequential. */
function teachableMachineLike() {
  const base = tf.sequential({
    name: 'sequential_1',
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, strides: 2, name: 'conv_a' }),
      tf.layers.batchNormalization({ name: 'bn_a' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_b' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
    ],
  });
  // tfjs' toJSON drops a nested model's own `trainable`; Keras writes it on each inner layer too.
  for (const layer of base.layers) layer.trainable = false;
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

const python = findPython(['torch']);
const check = fileURLToPath(new URL('./python/check_torch.py', import.meta.url));
const train = fileURLToPath(new URL('./python/check_frozen_torch.py', import.meta.url));

type Checked = { shapes: Record<string, number[]>; params: number; trainable: number; error?: string };

function exported(analysis: Analysis) {
  const result = toPyTorch(analysis);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe.skipIf(!python)('PyTorch export of nested models, run in real PyTorch', () => {
  it.each([
    ['Teachable Machine-style, frozen base', teachableMachineLike],
    ['a functional block inside a Sequential', functionalInside],
  ])('%s: parameters + buffers, trainable and output shape equal tfjs-layers', (_name, build) => {
    const source = build();
    const analysis = imported(source);
    expect(analysis.diagnostics).toEqual([]);
    const code = exported(analysis);
    expect(code.code).toMatch(/^class Nested_\w+\(nn\.Module\):/m);
    const result = runPython<Record<string, Checked>>(python as string, check, [
      { id: 'm', code: code.code, inputs: code.inputs },
    ])['m'];
    expect(result?.error).toBeUndefined();
    // PyTorch's parameters plus the batch norms' running statistics are Keras' weights.
    expect(result?.params).toBe(source.countParams());
    expect(result?.trainable).toBe(size(source.trainableWeights));
    const out = analysis.outputs[0] as string;
    expect(result?.shapes[code.locals[out] as string]?.slice(1)).toEqual(source.outputs[0]?.shape.slice(1));
    source.dispose();
  });

  it('a frozen nested base stays put when the model trains a step; its batch norm stays in eval mode', () => {
    const source = teachableMachineLike();
    const code = exported(imported(source));
    expect(code.code).toContain('requires_grad_(False)');
    const result = runPython<{ trainable: number; changed: string[]; unchanged: string[] }>(python as string, train, {
      code: code.code,
      inputs: code.inputs,
    });
    expect(result.trainable).toBe(size(source.trainableWeights));
    expect(result.changed.every((n) => n.startsWith('sequential_3.'))).toBe(true);
    expect(result.changed.length).toBeGreaterThan(0);
    expect(result.unchanged).toEqual(
      expect.arrayContaining(['sequential_1.conv_a.weight', 'sequential_1.bn_a.running_mean']),
    );
    source.dispose();
  });

  it("a nested model whose output is an inner layer before its last returns that layer's output", () => {
    const analysis = analyze([
      { name: 'x', type: 'Input', shape: [8] },
      {
        name: 'inner',
        type: 'NestedModel',
        output: 'wide',
        layers: [
          { name: 'wide', layer: { type: 'Dense', units: 6 } },
          { name: 'unused', layer: { type: 'Dense', units: 2 } },
        ],
      },
      { name: 'head', type: 'Dense', units: 1 },
    ]);
    expect(analysis.diagnostics).toEqual([]);
    const code = exported(analysis);
    const result = runPython<Record<string, Checked>>(python as string, check, [
      { id: 'm', code: code.code, inputs: code.inputs },
    ])['m'];
    expect(result?.error).toBeUndefined();
    expect(result?.shapes['inner']).toEqual([1, 6]);
    expect(result?.params).toBe(analysis.totals.params);
  });
});
