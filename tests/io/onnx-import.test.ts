import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { readOnnx } from '../../src/io/onnx/import';
import { toPyTorch } from '../../src/io/export/pytorch';
import { buildExact, expectActualShapes } from '../train/model/helpers';
import { findPython, runPython } from './python/find-python';

/**
 * ONNX files made by the real exporter (torch.onnx.export, PyTorch 1.13, opsets 11 to 17; 18
 * needs a newer PyTorch), compared with PyTorch's own parameter count, the file's initializers
 * as its nodes use them, and onnx shape inference's shape of every node output.
 */
const python = findPython(['torch', 'torchvision', 'onnx']);
if (!python)
  console.warn('ONNX checks skipped: no Python with torch, torchvision and onnx (Debian: python3-torch python3-onnx).');
const script = fileURLToPath(new URL('./python/export_onnx.py', import.meta.url));

interface Reference {
  file: string;
  torch_params: number;
  node_params: number;
  initializer_params: number;
  output: (number | null)[];
  shapes: Record<string, (number | null)[]>;
  conv_shapes: number[][];
  ops: string[];
  /** PyTorch's output shape of every module (forward hooks), by the ONNX scope its nodes are named in. */
  module_shapes: Record<string, number[]>;
}

const models = [
  { key: 'resnet18', name: 'resnet18', opset: 13 },
  { key: 'resnet18-train', name: 'resnet18', opset: 11, train: true },
  { key: 'mobilenet_v2', name: 'mobilenet_v2', opset: 12 },
  { key: 'squeezenet', name: 'squeezenet', opset: 17 },
  { key: 'alexnet', name: 'alexnet', opset: 14 },
  // Its channel split's ends are computed from x.size(1), which onnx shape inference does not
  // evaluate: past the first split it knows no ranks, so PyTorch's module outputs are the reference.
  { key: 'shufflenet_v2', name: 'shufflenet_v2', opset: 13, inferred: false },
  { key: 'mnist_cnn', name: 'mnist_cnn', opset: 15 },
  { key: 'split_net', name: 'split_net', opset: 13 },
  // F.pad's pads are computed in the graph (Slice, Transpose…), which onnx shape inference does not
  // evaluate: past the first Pad it knows no shapes, so PyTorch's convolution outputs are the reference.
  { key: 'tcn', name: 'tcn', opset: 16, inferred: false },
] as const;

let refs: Record<string, Reference> = {};

beforeAll(() => {
  if (!python) return;
  const dir = mkdtempSync(join(tmpdir(), 'convscope-onnx-'));
  refs = runPython<Record<string, Reference>>(python, script, { dir, models }, 600_000);
}, 600_000);

async function open(key: string) {
  const ref = refs[key] as Reference;
  const started = performance.now();
  const read = await readOnnx(new Uint8Array(readFileSync(ref.file)), `${key}.onnx`);
  const ms = performance.now() - started;
  if (!read.result.ok) throw new Error(read.result.error);
  return { ref, read, analysis: analyzeModel(read.result.model), ms };
}

/** Every layer whose ONNX tensor shape inference knows fully: [app's shape, onnx's shape without the batch]. */
function shapePairs(analysis: Analysis, tensors: ReadonlyMap<string, string>, ref: Reference) {
  return analysis.layers.flatMap((layer) => {
    const known = ref.shapes[tensors.get(layer.name) ?? ''];
    return known && !known.includes(null) ? [[layer.name, layer.output, known.slice(1)] as const] : [];
  });
}

const outputOf = (analysis: Analysis) => analysis.layers.find((l) => l.name === analysis.outputs[0])?.output;

describe.skipIf(!python)('ONNX files from torch.onnx.export', () => {
  it.each(models)('$key (opset $opset): totals, output and every layer shape', async (model) => {
    const { key } = model;
    const { ref, read, analysis } = await open(key);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.totals.params).toBe(ref.node_params);
    expect(outputOf(analysis)).toEqual(ref.output.slice(1));
    const pairs = shapePairs(analysis, read.tensors, ref);
    if (!('inferred' in model)) expect(pairs.length).toBeGreaterThanOrEqual(analysis.layers.length - 1);
    for (const [name, mine, theirs] of pairs) expect([name, mine]).toEqual([name, theirs]);
    const convs = analysis.layers.filter((l) => l.type === 'Conv').map((l) => l.output);
    expect(convs).toEqual(ref.conv_shapes.map((s) => s.slice(1)));
  });

  it.each(['mnist_cnn', 'tcn', 'squeezenet', 'alexnet', 'split_net'])(
    '%s: without batch normalisation, the total is PyTorch’s sum(p.numel())',
    async (key) => {
      const { ref, analysis } = await open(key);
      expect(analysis.totals.params).toBe(ref.torch_params);
    },
  );

  it('ResNet-18 exported in training mode keeps batch norm: trainable = PyTorch’s parameters, total = the initializers', async () => {
    const { ref, analysis } = await open('resnet18-train');
    expect(analysis.totals.trainableParams).toBe(ref.torch_params);
    expect(analysis.totals.params).toBe(ref.initializer_params);
    expect(analysis.layers.filter((l) => l.type === 'BatchNormalization')).toHaveLength(20);
  });

  it('an eval-mode export folds batch norm into the convolutions: the file’s count, not the PyTorch module’s', async () => {
    const { ref, analysis } = await open('resnet18');
    expect(ref.ops).not.toContain('BatchNormalization');
    expect(analysis.layers.some((l) => l.type === 'BatchNormalization')).toBe(false);
    // Each folded convolution holds a bias (C numbers) where the module had γ and β (2C).
    expect(analysis.totals.params).toBe(ref.node_params);
    expect(analysis.totals.params).toBeLessThan(ref.torch_params);
  });

  it('AlexNet (244 MB) is read from its topology without reading its weights', async () => {
    const { ms, analysis } = await open('alexnet');
    console.info(`AlexNet ONNX read in ${ms.toFixed(0)} ms`);
    expect(analysis.totals.params).toBe(61_100_840);
    expect(ms).toBeLessThan(10_000);
  });

  it('ShuffleNetV2 (x0.5): torch.chunk’s channel split, sized from x.size(1), reads as Slice layers of half the channels', async () => {
    const { ref, analysis } = await open('shufflenet_v2');
    const slices = analysis.layers.filter((l) => l.type === 'Slice');
    // Each unit of stride 1 splits its input in two (Ma et al. 2018, Fig. 3c); torchvision's
    // stages repeat 4, 8 and 4 units, the first of each with stride 2 (which does not split).
    expect(slices).toHaveLength(2 * (3 + 7 + 3));
    for (const s of slices) expect(s.output?.[0]).toBe((s.inputShapes[0]?.[0] as number) / 2);
    expect(ref.ops).toContain('Shape');
    expect(analysis.totals.params).toBe(ref.node_params);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('ShuffleNetV2: every PyTorch module’s output shape is that of the last layer read from its nodes', async () => {
    const { ref, analysis } = await open('shufflenet_v2');
    const compared = Object.entries(ref.module_shapes).flatMap(([scope, shape]) => {
      const last = analysis.layers.findLast((l) => l.name.startsWith(`${scope}/`));
      return last ? [[scope, last.output, shape.slice(1)] as const] : [];
    });
    // Folded batch norms leave no node; every convolution, ReLU, branch, unit and stage does.
    expect(compared.length).toBeGreaterThan(120);
    for (const [scope, mine, theirs] of compared) expect([scope, mine]).toEqual([scope, theirs]);
  });

  it('torch.split with sizes (a Split node) reads as one Slice layer per part; a slice counted from the end is resolved', async () => {
    const { ref, analysis } = await open('split_net');
    expect(ref.ops).toContain('Split');
    const parts = analysis.layers.filter((l) => l.type === 'Split').map((l) => l.output);
    expect(parts).toEqual([
      [3, 8, 8],
      [5, 8, 8],
    ]);
    // x[:, :, -2:] (counted from the end) and x[:, :, 1:3]: two rows each.
    const rows = analysis.layers.filter((l) => l.type === 'Slice').map((l) => l.output);
    expect(rows).toEqual([
      [3, 2, 8],
      [4, 2, 8],
    ]);
  });

  it('ShuffleNetV2 exported back to PyTorch runs there: every layer’s shape and the parameter count', async () => {
    const { analysis } = await open('shufflenet_v2');
    const exported = toPyTorch(analysis);
    if (!exported.ok) throw new Error(JSON.stringify(exported.problems));
    const { code, inputs, locals } = exported.value;
    const results = runPython<Record<string, { shapes?: Record<string, number[]>; params?: number; error?: string }>>(
      python as string,
      fileURLToPath(new URL('./python/check_torch.py', import.meta.url)),
      [{ id: 'shufflenet', code, inputs }],
    );
    const result = results['shufflenet'];
    expect(result?.error).toBeUndefined();
    for (const layer of analysis.layers) {
      if (layer.spec?.type === 'Input' || !layer.output) continue;
      expect([layer.name, result?.shapes?.[locals[layer.name] as string]]).toEqual([layer.name, [1, ...layer.output]]);
    }
    expect(result?.params).toBe(analysis.totals.params);
  });

  it('ShuffleNetV2 builds in TensorFlow.js for training: every layer’s actual output has the engine’s shape', async () => {
    await tf.setBackend('cpu');
    const { analysis } = await open('shufflenet_v2');
    const model = buildExact(analysis);
    expect(model.countParams()).toBe(analysis.totals.params);
    expectActualShapes(model, analysis, 1);
    model.dispose();
  });
});
