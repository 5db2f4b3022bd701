import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { countIn } from '../../src/engine/analysis/param-counts';
import { toKerasJson } from '../../src/io/export/keras-json';
import { toKerasPython } from '../../src/io/export/keras-python';
import { toPyTorch } from '../../src/io/export/pytorch';
import { analyze } from '../helpers';
import { findPython, runPython } from './python/find-python';

/** A frozen base (a conv, a batch norm, a residual block) and a trainable head. */
const FROZEN = [
  { name: 'image', type: 'Input', shape: [8, 8, 3] },
  { name: 'conv', type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same', trainable: false },
  { name: 'bn', type: 'BatchNormalization', trainable: false },
  { name: 'block', type: 'ResNetBasicBlock', filters: 16, trainable: false },
  { name: 'pool', type: 'GlobalAveragePooling2D' },
  { name: 'head', type: 'Dense', units: 3 },
];

const size = (weights: readonly tf.LayerVariable[]) =>
  weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

describe('exports keep frozen layers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('Keras JSON writes trainable: false, and tfjs-layers reads it to the same split', async () => {
    const analysis = analyze(FROZEN);
    const json = toKerasJson(analysis);
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    const model = await tf.models.modelFromJSON({ modelTopology: json.value } as tf.io.ModelJSON);
    expect(countIn(analysis.totals, 'keras')).toEqual({
      notation: 'keras',
      total: model.countParams(),
      trainable: size(model.trainableWeights),
      nonTrainable: size(model.nonTrainableWeights),
    });
    expect(size(model.trainableWeights)).toBe(16 * 3 + 3);
    model.dispose();
  });

  it('Keras Python says trainable=False on the frozen layers only', () => {
    const code = toKerasPython(analyze(FROZEN));
    expect(code.ok).toBe(true);
    if (!code.ok) return;
    expect(code.value).toMatch(/layers\.Conv2D\([^\n]*trainable=False, name="conv"\)/);
    expect(code.value).toMatch(/layers\.Dense\([^\n]*name="head"\)/);
    expect(code.value).not.toMatch(/layers\.Dense\([^\n]*trainable=False/);
  });
});

const python = findPython(['torch']);
const script = fileURLToPath(new URL('./python/check_frozen_torch.py', import.meta.url));

describe.skipIf(!python)('PyTorch export of frozen layers, trained a step in real PyTorch', () => {
  it('requires_grad parameters equal the app’s trainable count; one step moves only the head', () => {
    const analysis = analyze(FROZEN);
    const exported = toPyTorch(analysis);
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    const result = runPython<{ parameters: number; trainable: number; changed: string[]; unchanged: string[] }>(
      python as string,
      script,
      { code: exported.value.code, inputs: exported.value.inputs },
    );
    const shown = countIn(analysis.totals, 'pytorch');
    expect({ parameters: result.parameters, trainable: result.trainable }).toEqual({
      parameters: shown.parameters,
      trainable: shown.trainable,
    });
    expect(shown.trainable).toBe(16 * 3 + 3);
    // Frozen batch norms stay in inference mode in model.train(), as Keras runs them.
    expect(result.changed).toEqual(['head.bias', 'head.weight']);
    expect(result.unchanged).toEqual(
      expect.arrayContaining(['bn.running_mean', 'block.bn1.running_var', 'conv.weight']),
    );
  });
});
