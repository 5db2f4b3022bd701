import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { LayerResult } from '../../src/engine/analysis/result';
import { applyEdits } from '../../src/engine/model/edits';
import type { Model } from '../../src/engine/model/model';
import type { LayerSpec } from '../../src/engine/layers/registry';
import type { FileWeightSource } from '../../src/io/file-weights';
import type { FileWeight } from '../../src/io/keras/files/hdf5';
import { kerasKernelSource } from '../../src/io/keras/files/trained-kernels';
import { readModelFile } from '../../src/io/read-model-file';
import { partValues } from '../../src/ui/views/weights/trained';
import {
  hasKernel,
  kernelBox,
  kernelValues,
  valueLimit,
  weightParts,
  type WeightPart,
} from '../../src/viz/weight-grid';
import { h5python, writeKerasFile } from './python/keras-files';
import { keras2Config, known, knownCnn, knownConv1d, knownWeights } from './python/known-kernels';

async function open(path: string, name: string) {
  const read = await readModelFile(new Uint8Array(readFileSync(path)), `/some/dir/${name}`);
  if (!read.ok) throw new Error(read.error);
  return read;
}

/** Each convolution part of the model as the Weights view draws it, with the file's values. */
function drawn(model: Model, weights: FileWeightSource | undefined) {
  const analysis = analyzeModel(model);
  return analysis.layers.flatMap((layer) =>
    weightParts(layer).map((part) => ({ layer, ...partValues(weights ?? null, analysis, layer, part, layer.name) })),
  );
}

/** Every kernel tap the view reads out equals the value written for that filter, channel and tap. */
function expectKnownValues(part: WeightPart, layer: LayerResult) {
  const [kh, kw] = kernelBox(part.kernel);
  let checked = 0;
  let largest = 0;
  for (let f = 0; f < part.filters; f++) {
    for (let c = 0; c < part.channels; c++) {
      if (!hasKernel(part, f, c)) continue;
      const values = kernelValues(part, f, c);
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          expect(values[y * kw + x], `${layer.name} ${part.kind} f${f} c${c} (${y},${x})`).toBe(known(f, c, y, x));
          largest = Math.max(largest, known(f, c, y, x));
          checked++;
        }
      }
    }
  }
  expect(checked).toBe(part.tensor.count);
  // The colour scale spans the values the file holds (all ≥ 0 here: the largest is its end).
  expect(valueLimit(part)).toBe(largest);
}

describe.skipIf(!h5python)('trained weights from Keras files, in the Weights view’s order', () => {
  let h5 = '';
  let keras = '';
  let h5seq = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const cnn = knownCnn();
    h5 = writeKerasFile('known.h5', 'h5', keras2Config(cnn), knownWeights(cnn));
    keras = writeKerasFile('known.keras', 'keras', keras2Config(cnn), knownWeights(cnn));
    const seq = knownConv1d();
    h5seq = writeKerasFile('known-seq.h5', 'h5', keras2Config(seq), knownWeights(seq));
  });

  it('reads Conv2D, depthwise (multiplier 2), separable and transposed kernels of a .h5 tap by tap', async () => {
    const read = await open(h5, 'known.h5');
    const parts = drawn(read.model, read.fileWeights);
    expect(parts.map((p) => `${p.layer.name}:${p.part.kind}`)).toEqual([
      'conv1:conv',
      'dw:depthwise',
      'sep:depthwise',
      'sep:pointwise',
      'up:transposed',
    ]);
    for (const p of parts) {
      expect(p.file).toBe('known.h5');
      expect(p.problem).toBeNull();
      expectKnownValues(p.part, p.layer);
    }
  });

  it('reads a Conv1D kernel (k × in × out) as a 1×k strip per filter and channel', async () => {
    const read = await open(h5seq, 'known-seq.h5');
    const [p] = drawn(read.model, read.fileWeights);
    expect(p?.part.kernel).toEqual([5]);
    expectKnownValues(p!.part, p!.layer);
  });

  it('reads the same values from a Keras 3 .keras zip', async () => {
    const read = await open(keras, 'known.keras');
    const parts = drawn(read.model, read.fileWeights);
    expect(parts).toHaveLength(5);
    for (const p of parts) {
      expect(p.file).toBe('known.keras');
      expectKnownValues(p.part, p.layer);
    }
  });

  it('without a file, draws initial values as before', async () => {
    const read = await open(h5, 'known.h5');
    for (const p of drawn(read.model, undefined)) {
      expect(p.file).toBeNull();
      expect(p.part.trained).toBeUndefined();
    }
  });

  it('a layer edited so its weights no longer fit shows initial values and says what changed', async () => {
    const read = await open(h5, 'known.h5');
    const conv1 = read.model.layers.find((l) => l.name === 'conv1')!;
    const spec = { ...conv1.spec, filters: 8 } as LayerSpec;
    const edited = applyEdits(read.model, [{ kind: 'update', name: 'conv1', spec }]);
    const parts = drawn(edited, read.fileWeights);
    const byName = (name: string) => parts.find((p) => p.layer.name === name)!;
    expect(byName('conv1').part.trained).toBeUndefined();
    expect(byName('conv1').problem).toBe(
      'conv1’s weights from known.h5 no longer fit: you changed its filters from 4 to 8; showing initial values.',
    );
    expect(byName('dw').problem).toBe(
      'dw’s weights from known.h5 no longer fit: its input channels went from 4 to 8 (a layer before it changed); showing initial values.',
    );
    // A layer the edit did not reach keeps the file's values.
    expectKnownValues(byName('up').part, byName('up').layer);
  });

  it('a .h5 cut off anywhere past its headers opens or is refused, and each kernel is values or a message', async () => {
    const whole = readFileSync(h5);
    const outcomes = new Set<string>();
    for (let cut = whole.length - 1; cut > whole.length / 2; cut -= 97) {
      const read = await readModelFile(new Uint8Array(whole.subarray(0, cut)), 'cut.h5');
      if (!read.ok) {
        outcomes.add('refused');
        continue;
      }
      for (const p of drawn(read.model, read.fileWeights)) {
        if (p.problem) expect(p.problem).toMatch(/^\S+’s weights from cut\.h5 .*; showing initial values\.$/);
        // Values shown from a cut file are the whole kernel, as written.
        if (p.part.trained) expectKnownValues(p.part, p.layer);
        outcomes.add(p.problem ? 'message' : p.part.trained ? 'values' : 'initial');
      }
    }
    // Some cuts leave a kernel's dataset short: the view says so rather than drawing part of it.
    expect(outcomes).toContain('message');
  });

  it('decodes a tensor only when the view asks for it', async () => {
    const read = await open(h5, 'known.h5');
    const decoded: string[] = [];
    const counted = new Map(
      [...read.weights!].map(([layer, list]) => [
        layer,
        list.map((w) => ({ ...w, values: () => (decoded.push(w.path), w.values()) })),
      ]),
    );
    const source = kerasKernelSource('known.h5', counted);
    expect(decoded).toEqual([]);
    const analysis = analyzeModel(read.model);
    const layer = analysis.layers.find((l) => l.name === 'dw')!;
    partValues(source, analysis, layer, weightParts(layer)[0]!, 'dw');
    partValues(source, analysis, layer, weightParts(layer)[0]!, 'dw');
    expect(decoded).toEqual(['model_weights/dw/dw/depthwise_kernel:0']);
  });
});

describe('a damaged weight dataset is a message, not a crash', () => {
  const request = { kind: 'conv', filters: 2, channels: 1, groups: 1, kernel: [2, 2] } as const;
  const address = { layer: 'c', path: 'c', index: 0, kerasShape: [2, 2, 1, 2] };
  const source = (values: () => Float32Array | null) =>
    kerasKernelSource(
      '<img src=x onerror=alert(1)>.h5',
      new Map([['c', [{ path: 'model_weights/c/c/kernel:0', shape: [2, 2, 1, 2], values } as FileWeight]]]),
    );

  it('a dataset that cannot be decoded', () => {
    expect(source(() => null).kernel(address, request)).toEqual({
      ok: false,
      why: 'c’s weights from <img src=x onerror=alert(1)>.h5 cannot be read: the dataset model_weights/c/c/kernel:0 is cut off or damaged (no values); showing initial values.',
    });
  });

  it('a dataset with fewer values than its shape', () => {
    const result = source(() => new Float32Array(5)).kernel(address, request);
    expect(result).toMatchObject({ ok: false, why: expect.stringContaining('cut off or damaged (5 of 8 values)') });
  });

  it('values that are not numbers', () => {
    const result = source(() => Float32Array.from([1, NaN, 2, Infinity, 0, 0, 0, 0])).kernel(address, request);
    expect(result).toMatchObject({ ok: false, why: expect.stringContaining('holds 2 values that are not numbers') });
  });

  it('a file without weights for the layer leaves initial values unremarked', () => {
    expect(source(() => null).kernel({ ...address, layer: 'other' }, request)).toBeNull();
  });
});

describe.skipIf(!h5python)('trained kernels inside a nested model', () => {
  it('finds an inner convolution’s kernel among the nested model’s weights', async () => {
    await tf.setBackend('cpu');
    const inner = tf.sequential({ name: 'inner' });
    inner.add(tf.layers.conv2d({ name: 'ca', inputShape: [6, 6, 3], filters: 2, kernelSize: 3 }));
    inner.add(tf.layers.conv2d({ name: 'cb', filters: 3, kernelSize: 2 }));
    const outer = tf.sequential({ name: 'outer' });
    outer.add(inner);
    outer.add(tf.layers.flatten({ name: 'flat' }));
    const weights = knownWeights(outer).map((layer) =>
      layer.name !== 'inner'
        ? layer
        : {
            ...layer,
            // Keras 2 names a nested model's weights by their own layers: ca/kernel:0, ca/bias:0, …
            weights: inner.layers.flatMap((l) => knownWeights(inner).find((k) => k.name === l.name)!.weights),
          },
    );
    const path = writeKerasFile('nested.h5', 'h5', keras2Config(outer), weights);
    const read = await open(path, 'nested.h5');
    const analysis = analyzeModel(read.model);
    const block = analysis.layers.find((l) => l.name === 'inner')!;
    const cb = block.children!.find((c) => c.name === 'cb')!;
    const drawnCb = partValues(read.fileWeights!, analysis, cb, weightParts(cb)[0]!, 'inner/cb');
    expect(drawnCb.problem).toBeNull();
    expectKnownValues(drawnCb.part, cb);
  });
});
