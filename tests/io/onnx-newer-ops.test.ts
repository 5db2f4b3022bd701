import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { readOnnx } from '../../src/io/onnx/import';
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

  it.each(['helper17', 'helper18'])(
    '%s: Split, a two-axis Slice, Resize by sizes, Mul/Add of initializers — every shape as onnx infers it',
    async (key) => {
      const { ref, analysis, pairs } = await open(key);
      // No error; the scale and shift say their values are counted but not loaded (so no training).
      expect(analysis.diagnostics.map((d) => [d.layer, d.severity, d.code])).toEqual([
        ['scale', 'warning', 'unknown-constant'],
        ['shift', 'warning', 'unknown-constant'],
      ]);
      expect(analysis.diagnostics[0]?.text.join('')).toContain('a weight of shape [2, 1, 1]');
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
