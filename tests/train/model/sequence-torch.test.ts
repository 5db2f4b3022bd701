import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../helpers';
import { findPython, runPython } from '../../io/python/find-python';
import { buildExact } from './helpers';
import { maxDiff, wave } from './reference';

/**
 * The layers tfjs-layers lacks and ConvScope writes itself — MultiHeadAttention, GRU with
 * reset_after, TensorFlow's DepthToSpace and SpaceToDepth — built from engine models, given
 * deterministic weights in Keras' layouts, and run against PyTorch 1.13 on the same numbers
 * (sequence_reference.py): PyTorch's own attention and GRU, Keras' attention as einsums where
 * PyTorch's needs heads × key_dim = features, pixel_shuffle with TensorFlow's channel order.
 */
const python = findPython(['torch', 'numpy']);
if (!python) console.warn('sequence layers vs PyTorch skipped: no Python with torch (Debian: python3-torch).');

const TOLERANCE = 1e-4;
const BATCH = 2;

interface Entry {
  data: number[];
  shape: number[];
}

interface Case {
  readonly label: string;
  /** Engine layers; the one checked is named 'l', its inputs are the model's inputs. */
  readonly layers: Record<string, unknown>[];
  readonly op: 'mha_torch' | 'mha_einsum' | 'gru' | 'd2s' | 's2d';
  /** Names the Python side gets the model's inputs under, in the model's order. */
  readonly inputNames: readonly string[];
  readonly extra?: Record<string, unknown>;
}

const self = (fields: Record<string, unknown>, shape: number[]): Record<string, unknown>[] => [
  { name: 'x', type: 'Input', shape },
  { name: 'l', type: 'MultiHeadAttention', inputs: ['x', 'x'], ...fields },
];

const cases: Case[] = [
  {
    label: 'MultiHeadAttention self-attention, 2 heads × 4 = 8 features = torch multi_head_attention_forward',
    layers: self({ numHeads: 2, keyDim: 4 }, [5, 8]),
    op: 'mha_torch',
    inputNames: ['query'],
    extra: { numHeads: 2 },
  },
  {
    label: 'MultiHeadAttention query 3×6, value 4×5, key 4×7, 3 heads, key 2, value 4, output 9 = einsum',
    layers: [
      { name: 'q', type: 'Input', shape: [3, 6] },
      { name: 'v', type: 'Input', shape: [4, 5] },
      { name: 'k', type: 'Input', shape: [4, 7] },
      {
        name: 'l',
        type: 'MultiHeadAttention',
        numHeads: 3,
        keyDim: 2,
        valueDim: 4,
        outputShape: 9,
        inputs: ['q', 'v', 'k'],
      },
    ],
    op: 'mha_einsum',
    inputNames: ['query', 'value', 'key'],
  },
  {
    label: 'MultiHeadAttention over a 2×3 map (attends over both axes), no bias = einsum',
    layers: self({ numHeads: 2, keyDim: 3, useBias: false }, [2, 3, 4]),
    op: 'mha_einsum',
    inputNames: ['query'],
  },
  ...[true, false].flatMap((returnSequences) =>
    [true, false].map((useBias): Case => ({
      label: `GRU reset_after, 3 units${returnSequences ? ', every step' : ''}${useBias ? '' : ', no bias'} = nn.GRU`,
      layers: [
        { name: 'x', type: 'Input', shape: [5, 4] },
        { name: 'l', type: 'GRU', units: 3, resetAfter: true, returnSequences, useBias },
      ],
      op: 'gru',
      inputNames: ['x'],
      extra: { returnSequences },
    })),
  ),
  {
    label: 'GRU (reset_after by default), go_backwards = nn.GRU on the reversed steps',
    layers: [
      { name: 'x', type: 'Input', shape: [6, 3] },
      { name: 'l', type: 'GRU', units: 4, goBackwards: true, returnSequences: true },
    ],
    op: 'gru',
    inputNames: ['x'],
    extra: { returnSequences: true, goBackwards: true },
  },
  {
    label: 'DepthToSpace b = 2 on 4×6×8 = pixel_shuffle in TensorFlow’s channel order',
    layers: [
      { name: 'x', type: 'Input', shape: [4, 6, 8] },
      { name: 'l', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
    ],
    op: 'd2s',
    inputNames: ['x'],
    extra: { blockSize: 2 },
  },
  {
    label: 'SpaceToDepth b = 3 on 6×9×2 = pixel_unshuffle in TensorFlow’s channel order',
    layers: [
      { name: 'x', type: 'Input', shape: [6, 9, 2] },
      { name: 'l', type: 'TensorFlowOp', op: 'SpaceToDepth', blockSize: 3 },
    ],
    op: 's2d',
    inputNames: ['x'],
    extra: { blockSize: 3 },
  },
];

const entry = (x: tf.Tensor): Entry => ({ data: Array.from(x.dataSync()), shape: x.shape });

interface Run {
  readonly y: tf.Tensor;
  readonly request: Record<string, unknown>;
}

/** Builds the case, sets every weight of 'l' to deterministic values and runs it. */
function run(c: Case, seed: number): Run {
  const model = buildExact(analyze(c.layers));
  try {
    const layer = model.getLayer('l');
    const weights: Record<string, Entry> = {};
    const values = layer.weights.map((w, i) => {
      const shape = w.shape as number[];
      const v = tf.tensor(wave(tf.util.sizeFromShape(shape), seed + 10 + i), shape);
      // 'l/query/kernel' or 'l_cell/kernel' (a GRU's cell): the name below the layer's.
      weights[w.originalName.split('/').slice(1).join('/')] = entry(v);
      return v;
    });
    layer.setWeights(values);
    const xs = model.inputs.map((input, i) =>
      tf.tensor(wave(BATCH * input.shape.slice(1).reduce((a: number, b) => a * (b as number), 1), seed + i), [
        BATCH,
        ...(input.shape.slice(1) as number[]),
      ]),
    );
    const y = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs) as tf.Tensor;
    const request: Record<string, unknown> = { op: c.op, weights, ...weights, ...c.extra };
    c.inputNames.forEach((n, i) => (request[n] = entry(xs[i] as tf.Tensor)));
    if (c.op.startsWith('mha') && c.inputNames.length === 1) request['value'] = request['query'];
    tf.dispose([...values, ...xs]);
    return { y, request };
  } finally {
    model.dispose();
  }
}

describe.skipIf(!python)('ConvScope’s own sequence layers = PyTorch 1.13', () => {
  const runs: Run[] = [];
  let answers: number[][] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    cases.forEach((c, i) => runs.push(run(c, i)));
    answers = runPython<number[][]>(
      python!,
      fileURLToPath(new URL('./sequence_reference.py', import.meta.url)),
      runs.map((r) => r.request),
    );
  });
  afterAll(() => tf.dispose(runs.map((r) => r.y)));

  cases.forEach((c, i) => {
    it(c.label, () => {
      const { y } = runs[i]!;
      const reference = answers[i]!;
      expect(y.size).toBe(reference.length);
      expect(maxDiff(y.dataSync(), reference)).toBeLessThan(TOLERANCE);
      // Not a trivial agreement: the outputs vary.
      expect(tf.moments(y).variance.dataSync()[0]).toBeGreaterThan(1e-4);
    });
  });
});
