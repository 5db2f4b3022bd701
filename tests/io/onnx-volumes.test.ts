import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { readOnnx } from '../../src/io/onnx/import';
import { findPython, runPython } from './python/find-python';

/**
 * A 3-D CNN (Conv3d, MaxPool3d, Upsample, AvgPool3d with ceil mode, global average pooling) exported
 * by the real torch.onnx.export (PyTorch 1.13, opset 13) and read back: the parameters are the
 * file's, the output onnx shape inference's, every layer's shape the shape inference's, and every
 * convolution's output PyTorch's own.
 */
const python = findPython(['torch', 'torchvision', 'onnx']);
const script = fileURLToPath(new URL('./python/export_onnx.py', import.meta.url));

interface Reference {
  file: string;
  torch_params: number;
  node_params: number;
  output: (number | null)[];
  shapes: Record<string, (number | null)[]>;
  conv_shapes: number[][];
  ops: string[];
}

describe.skipIf(!python)('a 3-D CNN from torch.onnx.export', () => {
  it('reads with the file’s parameters, PyTorch’s convolution outputs and onnx’s inferred shape of every layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convscope-onnx3d-'));
    const refs = runPython<Record<string, Reference>>(python as string, script, {
      dir,
      models: [{ key: 'volume_cnn', name: 'volume_cnn', opset: 13 }],
    });
    const ref = refs['volume_cnn'] as Reference;
    expect(ref.ops).toEqual(expect.arrayContaining(['Conv', 'MaxPool', 'AveragePool', 'Resize', 'GlobalAveragePool']));
    const read = await readOnnx(new Uint8Array(readFileSync(ref.file)), 'volume_cnn.onnx');
    if (!read.result.ok) throw new Error(read.result.error);
    const analysis = analyzeModel(read.result.model);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const types = analysis.layers.map((l) => l.spec?.type);
    expect(types).toEqual(
      expect.arrayContaining(['Conv3D', 'MaxPooling3D', 'UpSampling3D', 'AveragePooling3D', 'GlobalAveragePooling3D']),
    );
    // Batch norm is folded into the first convolution in an eval export: the file's count.
    expect(analysis.totals.params).toBe(ref.node_params);
    const last = analysis.layers.find((l) => l.name === analysis.outputs[0]);
    expect(last?.output).toEqual(ref.output.slice(1));
    let compared = 0;
    for (const layer of analysis.layers) {
      const known = ref.shapes[read.tensors.get(layer.name) ?? ''];
      if (!known || known.includes(null)) continue;
      compared++;
      expect([layer.name, layer.output]).toEqual([layer.name, known.slice(1)]);
    }
    expect(compared).toBeGreaterThanOrEqual(analysis.layers.length - 1);
    const convs = analysis.layers.filter((l) => l.spec?.type === 'Conv3D').map((l) => l.output);
    expect(convs).toEqual(ref.conv_shapes.map((s) => s.slice(1)));
  });
});
