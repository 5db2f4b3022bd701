import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { layerTypes } from '../../src/engine/layers/registry';
import { parseProject, toProjectFile } from '../../src/io/project/format';
import { readModelText } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';
import { presetModel, presets } from '../../src/presets';

describe('the project format', () => {
  it('a plain stack needs no names and no wiring; names follow Keras (conv2d, conv2d_1)', () => {
    const read = parseProject({
      layers: [
        { type: 'Input', shape: [28, 28, 1] },
        { type: 'Conv2D', filters: 4, kernelSize: 3 },
        { type: 'Conv2D', filters: 4, kernelSize: 3 },
        { type: 'MaxPooling2D' },
      ],
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.model.layers.map((l) => l.name)).toEqual(['input', 'conv2d', 'conv2d_1', 'max_pooling2d']);
    expect(analyzeModel(read.model).layers.at(-1)?.output).toEqual([12, 12, 4]);
  });

  it('fills defaults from the layer registry', () => {
    const read = parseProject({
      layers: [
        { type: 'Input', shape: [8, 3] },
        { name: 'c', type: 'Conv1D', filters: 2, kernelSize: 3 },
      ],
    });
    expect(read.ok && read.model.layers[1]?.spec).toEqual({
      type: 'Conv1D',
      filters: 2,
      kernelSize: 3,
      strides: 1,
      padding: 'valid',
      dilationRate: 1,
      groups: 1,
      useBias: true,
      activation: 'linear',
    });
  });

  it.each(presets.map((p) => p.id))('%s survives save → read with the same summary', (id) => {
    const model = presetModel(id);
    const text = JSON.stringify(toProjectFile(model));
    const read = readModelText(text);
    expect(read.ok).toBe(true);
    if (read.ok) expect(summaryJson(analyzeModel(read.model))).toEqual(summaryJson(analyzeModel(model)));
  });

  it('keeps a bad layer’s fields when saving, so nothing typed is lost', () => {
    const read = parseProject({
      layers: [
        { type: 'Input', shape: [8, 8, 1] },
        { name: 'x', type: 'Conv2D', filters: -2, kernelSize: 3 },
      ],
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect((toProjectFile(read.model)['layers'] as object[])[1]).toEqual({
      name: 'x',
      type: 'Conv2D',
      filters: -2,
      kernelSize: 3,
    });
  });

  it.each([
    ['[]', 'must hold a JSON object'],
    ['{"layers": []}', 'layers: a model needs at least one layer'],
    ['{"layers": [3]}', 'layers[0]: each layer must be an object'],
    ['{"format": "convscope.model", "version": 9, "layers": [{"type": "Input", "shape": [1]}]}', 'format version 9'],
    ['{"format": "other", "layers": []}', '"format" must be "convscope.model"'],
    ['{"layers": [{"type": "Input", "shape": [1]}], "dataformat": "channels_last"}', "unknown field 'dataformat'"],
    ['{"hello": 1}', 'Not a model file ConvScope knows'],
    ['{"layers": [', 'Not valid JSON'],
    ['', 'the file is empty'],
  ])('%s → a clear, located message', (text, message) => {
    const read = readModelText(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(message);
  });

  it('docs/model-format.md documents every layer type', () => {
    const doc = readFileSync(new URL('../../docs/model-format.md', import.meta.url), 'utf8');
    for (const type of layerTypes) expect(doc, type).toContain(`\`${type}\``);
  });
});
