import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { readOnnx } from '../../src/io/onnx/import';
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
}

const models = [
  { key: 'resnet18', name: 'resnet18', opset: 13 },
  { key: 'resnet18-train', name: 'resnet18', opset: 11, train: true },
  { key: 'mobilenet_v2', name: 'mobilenet_v2', opset: 12 },
  { key: 'squeezenet', name: 'squeezenet', opset: 17 },
  { key: 'alexnet', name: 'alexnet', opset: 14 },
  { key: 'shufflenet_v2', name: 'shufflenet_v2', opset: 13 },
  { key: 'mnist_cnn', name: 'mnist_cnn', opset: 15 },
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
  const complete = models.filter((m) => m.key !== 'shufflenet_v2');
  it.each(complete)('$key (opset $opset): totals, output and every layer shape', async (model) => {
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

  it.each(['mnist_cnn', 'tcn', 'squeezenet', 'alexnet'])(
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

  it('ShuffleNetV2: the shape arithmetic it computes is named at its node, and the layers before it are analysed', async () => {
    const { ref, read, analysis } = await open('shufflenet_v2');
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    expect(errors[0]?.text.join(' ')).toMatch(/graph\.node\[\d+\] \('\/stage2\/stage2\.1\/Shape', Shape\)/);
    const before = shapePairs(analysis, read.tensors, ref).filter(([, mine]) => mine !== null);
    expect(before.length).toBeGreaterThan(10);
    for (const [name, mine, theirs] of before) expect([name, mine]).toEqual([name, theirs]);
  });
});
