import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { toPyTorch } from '../../src/io/export/pytorch';
import { readOnnx } from '../../src/io/onnx/import';
import { buildModel } from '../../src/train/model/build';
import { findPython, runPython } from './python/find-python';

/**
 * Issue 15's last ONNX gaps, in files written by the real exporter (torch.onnx.export at opset
 * 17, the newest PyTorch 1.13 writes) and by onnx.helper at opset 18 (Split by num_outputs):
 * constant scales and shifts, Split by sizes and by count, a Slice of two axes, Resize by sizes.
 * Every layer's shape is checked against onnx shape inference, the totals against PyTorch's
 * parameter count or the file's weights.
 */
const python = findPython(['torch', 'onnx']);
const script = fileURLToPath(new URL('./python/onnx_newer_ops.py', import.meta.url));
const valuesScript = fileURLToPath(new URL('./python/run_torch_values.py', import.meta.url));

interface Reference {
  file: string;
  opset: number;
  params: number;
  shapes: Record<string, (number | null)[]>;
  ops: string[];
}

let refs: Record<string, Reference> = {};

beforeAll(() => {
  if (!python) return;
  refs = runPython(python, script, { dir: mkdtempSync(join(tmpdir(), 'convscope-onnx18-')) }, 300_000);
}, 300_000);

async function open(key: string) {
  const ref = refs[key] as Reference;
  const read = await readOnnx(new Uint8Array(readFileSync(ref.file)), `${key}.onnx`);
  if (!read.result.ok) throw new Error(read.result.error);
  const analysis = analyzeModel(read.result.model);
  // Every layer whose ONNX tensor shape inference knows in full: ours against its, batch dropped.
  const pairs = analysis.layers.flatMap((layer) => {
    const known = ref.shapes[read.tensors.get(layer.name) ?? ''];
    return known && !known.includes(null) ? [[layer.name, layer.output, known.slice(1)] as const] : [];
  });
  return { ref, analysis, pairs };
}

describe.skipIf(!python)('ONNX operators of opsets 17 and 18', () => {
  it('torch.onnx.export (opset 17): a learnt scale and shift count as PyTorch counts them; split, resize to a size and crop read', async () => {
    const { ref, analysis, pairs } = await open('torch');
    expect(ref.ops).toEqual(expect.arrayContaining(['Mul', 'Add', 'Split', 'Resize', 'Slice']));
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.totals.params).toBe(ref.params);
    const scale = analysis.layers.find((l) => l.name === '/Mul');
    expect([scale?.type, scale?.params]).toEqual(['Mul', 4]);
    for (const [name, ours, theirs] of pairs) expect(ours, name).toEqual(theirs);
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    const out = analysis.layers.find((l) => l.name === analysis.outputs[0]);
    expect(out?.output).toEqual(ref.shapes['y']?.slice(1));
  });

  it("torch.onnx.export: written back as PyTorch, the scale and shift are parameters again, PyTorch's count the original's", async () => {
    const { ref, analysis } = await open('torch');
    const exported = toPyTorch(analysis);
    if (!exported.ok) throw new Error(JSON.stringify(exported.problems));
    const shape = exported.value.inputs[0]?.map((d) => d ?? 8) ?? [];
    const input = { shape: [1, ...shape], data: Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0.5) };
    const runs = runPython<Record<string, { params?: number; shape?: number[]; error?: string }>>(
      python as string,
      valuesScript,
      [{ id: 'torch', code: exported.value.code, input }],
    );
    expect(runs['torch']?.error).toBeUndefined();
    expect(runs['torch']?.params).toBe(ref.params);
    expect(runs['torch']?.shape).toEqual(ref.shapes['y']);
  });

  it('torch.onnx.export: the model with a learnt scale and shift trains in the tab, the constants moving', async () => {
    await tf.setBackend('cpu');
    const { ref, analysis } = await open('torch');
    const built = buildModel(analysis);
    if (!built.ok) throw new Error(`${built.layer ?? ''}: ${built.error}`);
    const model = built.model;
    expect(model.countParams()).toBe(ref.params);
    // The scale and shift: the TensorFlow-op layers with a weight (tfjs names them without the slash).
    const ops = model.layers.filter((l) => l.getClassName() === 'ConvScopeTensorFlowOp' && l.weights.length > 0);
    const learnt = (i: number) => ops[i]?.getWeights()[0] as tf.Tensor;
    const before = [learnt(0).clone(), learnt(1).clone()];
    // Channels-last inside, one per channel: 1 for the scale and 0 for the shift to start.
    expect(before.map((w) => [w.shape, Array.from(w.dataSync())])).toEqual([
      [
        [1, 1, 1, 4],
        [1, 1, 1, 1],
      ],
      [
        [1, 1, 1, 4],
        [0, 0, 0, 0],
      ],
    ]);
    // One step of fit on a mean-squared error towards ones: both constants move.
    const [, ...outShape] = model.outputs[0]?.shape ?? [];
    const x = tf.randomNormal([2, ...(model.inputs[0]?.shape.slice(1) as number[])], 0, 1, 'float32', 1);
    const y = tf.ones([2, ...(outShape as number[])]);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    before.forEach((w, i) => {
      const moved = tf.max(tf.abs(tf.sub(learnt(i), w))).dataSync()[0] as number;
      expect(moved, `${ops[i]?.name} moved`).toBeGreaterThan(0);
    });
    tf.dispose([x, y, ...before]);
    model.dispose();
  });

  it.each(['helper17', 'helper18'])(
    '%s: Split, a two-axis Slice, Resize by sizes, Mul/Add of initializers — every shape as onnx infers it',
    async (key) => {
      const { ref, analysis, pairs } = await open(key);
      // No diagnostic: the scale and shift are learnt constants, which train from 1 and 0.
      expect(analysis.diagnostics).toEqual([]);
      expect(analysis.layers.find((l) => l.name === 'scale')?.weights[0]?.keras.shape).toEqual([2, 1, 1]);
      // The file's weights: the two constants (2 + 2), not its int64 index tensors.
      expect(analysis.totals.params).toBe(ref.params);
      expect(ref.params).toBe(4);
      for (const [name, ours, theirs] of pairs) expect(ours, name).toEqual(theirs);
      // Three parts, two slice layers for the crop, the resize, the scale, the shift, the concat.
      expect(pairs.map(([name]) => name)).toEqual(
        expect.arrayContaining(['split_0', 'split_1', 'split_2', 'crop_1', 'resize', 'scale', 'shift', 'rest']),
      );
      expect(analysis.layers.find((l) => l.name === 'crop_0')?.output).toEqual([2, 6, 8]);
      expect(analysis.layers.find((l) => l.name === 'resize')?.spec).toMatchObject({
        type: 'UpSampling2D',
        size: [2, 2],
      });
    },
  );
});
