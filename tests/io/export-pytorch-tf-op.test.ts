import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine/analysis/result';
import { ELEMENTWISE_OPS, type ElementwiseOp } from '../../src/engine/layers/tf-op';
import { toPyTorch } from '../../src/io/export/pytorch';
import { analyze } from '../helpers';
import { tensorOf } from '../train/model/reference';
import { BINARY, MATH } from '../train/model/tf-op-math';
import { findPython, runPython } from './python/find-python';

/**
 * TensorFlowOp layers exported as PyTorch and run in real PyTorch on a known input: each
 * element-wise op against JavaScript's Math (the constant on either side), DepthToSpace
 * against tfjs' own tf.depthToSpace (TensorFlow's channel order, not pixel_shuffle's) and
 * SpaceToDepth as its inverse, in channels-last and channels-first models (PyTorch runs NCHW).
 * A constant the file holds is a learnt nn.Parameter of that shape, counted as the engine counts.
 */
const python = findPython(['torch']);
const script = fileURLToPath(new URL('./python/run_torch_values.py', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  id: string;
  analysis: Analysis;
  /** The input, batch first, in the model's own layout. */
  x: tf.Tensor;
  /** The expected output in the model's own layout. */
  want: tf.Tensor;
}
interface Result {
  shape?: number[];
  data?: number[];
  params?: number;
  parameters?: Record<string, number[]>;
  error?: string;
}

const channelsLast = (analysis: Analysis) => analysis.model.dataFormat === 'channels_last';
/** N×H×W×C ↔ N×C×H×W: the PyTorch code takes and returns channels-first tensors. */
const toTorch = (c: Case, t: tf.Tensor) => (channelsLast(c.analysis) && t.rank === 4 ? t.transpose([0, 3, 1, 2]) : t);
const fromTorch = (c: Case, t: tf.Tensor) => (channelsLast(c.analysis) && t.rank === 4 ? t.transpose([0, 2, 3, 1]) : t);
const nhwc = (t: tf.Tensor) => t.transpose([0, 2, 3, 1]);
const nchw = (t: tf.Tensor) => t.transpose([0, 3, 1, 2]);

function runAll(cases: readonly Case[]): Record<string, Result> {
  const jobs = cases.map((c) => {
    const exported = toPyTorch(c.analysis);
    if (!exported.ok) throw new Error(`${c.id}: ${JSON.stringify(exported.problems)}`);
    const x = toTorch(c, c.x);
    return { id: c.id, code: exported.value.code, input: { shape: x.shape, data: Array.from(x.dataSync()) } };
  });
  return runPython<Record<string, Result>>(python as string, script, jobs);
}

function expectClose(c: Case, result: Result | undefined) {
  expect(result?.error, `${c.id} runs in PyTorch`).toBeUndefined();
  const got = fromTorch(c, tf.tensor(result?.data ?? [], result?.shape ?? [0]));
  expect(got.shape, c.id).toEqual(c.want.shape);
  const want = Array.from(c.want.dataSync());
  const diff = Math.max(0, ...Array.from(got.dataSync()).map((v, i) => Math.abs(v - (want[i] as number))));
  expect(diff, c.id).toBeLessThan(1e-5 * Math.max(1, ...want.map(Math.abs)));
}

function opModel(shape: number[], fields: Record<string, unknown>, format: 'channels_last' | 'channels_first') {
  return analyze(
    [
      { name: 'x', type: 'Input', shape },
      { name: 'op', type: 'TensorFlowOp', ...fields },
    ],
    format,
  );
}

describe.skipIf(!python)('TensorFlow ops exported as PyTorch, run in real PyTorch', () => {
  it('every element-wise op, the constant on either side (and negative), equals Math on every element', () => {
    // Positive, away from 0: Sqrt, Log, Rsqrt, Pow and RealDiv are defined and tame there.
    const x = tf.add(tf.abs(tensorOf([2, 3, 4, 5], 1)), 0.25);
    const xs = Array.from(x.dataSync());
    const cases: Case[] = [];
    const add = (op: ElementwiseOp, c: number | null, first: boolean) => {
      const fields = c === null ? { op } : { op, constant: c, constantFirst: first };
      const want = xs.map((v) => (c === null ? MATH[op](v, 0) : first ? MATH[op](c, v) : MATH[op](v, c)));
      const id = `${op}_${c === null ? 'unary' : `${first ? 'first' : 'second'}_${String(c).replace(/\W/g, '_')}`}`;
      cases.push({ id, analysis: opModel([3, 4, 5], fields, 'channels_last'), x, want: tf.tensor(want, x.shape) });
    };
    for (const op of ELEMENTWISE_OPS) {
      if (!BINARY.has(op)) add(op, null, false);
      else for (const first of [false, true]) add(op, 0.75, first);
    }
    // A negative constant keeps its sign in Python: (-1.5) - x, x ** (-0.5), not -(1.5 ** …).
    for (const [op, c, first] of [
      ['Sub', -1.5, true],
      ['Mul', -2, false],
      ['Maximum', -0.5, true],
      ['Pow', -0.5, false],
      ['RealDiv', -3, true],
    ] as const)
      add(op, c, first);
    const results = runAll(cases);
    for (const c of cases) expectClose(c, results[c.id]);
  });

  it("DepthToSpace = tf.depthToSpace (TensorFlow's channel order) and SpaceToDepth its inverse, both layouts", () => {
    const cases: Case[] = [];
    for (const [b, shape] of [
      [2, [2, 3, 4, 8]],
      [3, [1, 2, 3, 18]],
    ] as const) {
      const x = tensorOf([...shape], b);
      const spread = tf.depthToSpace(x as tf.Tensor4D, b, 'NHWC');
      const [, h, w, c] = shape;
      cases.push(
        {
          id: `d2s_cl_${b}`,
          analysis: opModel([h, w, c], { op: 'DepthToSpace', blockSize: b }, 'channels_last'),
          x,
          want: spread,
        },
        {
          id: `d2s_cf_${b}`,
          analysis: opModel([c, h, w], { op: 'DepthToSpace', blockSize: b }, 'channels_first'),
          x: nchw(x),
          want: nchw(spread),
        },
        {
          id: `s2d_cl_${b}`,
          analysis: opModel(spread.shape.slice(1), { op: 'SpaceToDepth', blockSize: b }, 'channels_last'),
          x: spread,
          want: x,
        },
        {
          id: `s2d_cf_${b}`,
          analysis: opModel(nchw(spread).shape.slice(1), { op: 'SpaceToDepth', blockSize: b }, 'channels_first'),
          x: nchw(spread),
          want: nchw(x),
        },
      );
    }
    // Not pixel_shuffle's order: with 8 channels and b = 2 the two orders differ.
    expect(Array.from(cases[0]?.want.dataSync() ?? [])).not.toEqual(
      Array.from(nhwc(pixelShuffle(nchw(cases[0]!.x), 2)).dataSync()),
    );
    const results = runAll(cases);
    for (const c of cases) expectClose(c, results[c.id]);
  });

  it("a constant the file holds is a learnt nn.Parameter in PyTorch's layout, starting neutral, counted as the engine counts", () => {
    const x = tensorOf([2, 3, 4, 2], 5);
    const conv = { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: 3, padding: 'same' };
    const cases: (Case & { torchShape: number[] })[] = [
      // A channels-last scale per channel: PyTorch's is 1×C×1×1.
      {
        id: 'mul_cl',
        analysis: opModel([3, 4, 2], { op: 'Mul', constantShape: [2] }, 'channels_last'),
        x,
        want: x,
        torchShape: [1, 2, 1, 1],
      },
      {
        id: 'add_cl',
        analysis: opModel([3, 4, 2], { op: 'AddV2', constantShape: [1, 3, 1, 2] }, 'channels_last'),
        x,
        want: x,
        torchShape: [1, 2, 3, 1],
      },
      // Channels-first (an ONNX file): the file's own shape.
      {
        id: 'div_cf',
        analysis: opModel([2, 3, 4], { op: 'RealDiv', constantShape: [2, 1, 1] }, 'channels_first'),
        x: nchw(x),
        want: nchw(x),
        torchShape: [2, 1, 1],
      },
      {
        id: 'sub_cf',
        analysis: opModel([2, 3, 4], { op: 'Sub', constantShape: [1, 2, 3, 4] }, 'channels_first'),
        x: nchw(x),
        want: nchw(x),
        torchShape: [1, 2, 3, 4],
      },
    ];
    const results = runAll(cases);
    for (const c of cases) {
      expectClose(c, results[c.id]);
      expect(results[c.id]?.params, c.id).toBe(c.analysis.totals.params);
      expect(results[c.id]?.parameters, c.id).toEqual({ op: c.torchShape });
    }
    // After a convolution: the whole model's count, convolution and scale, as the engine's.
    const scaled = analyze([
      { name: 'x', type: 'Input', shape: [3, 4, 2] },
      conv,
      { name: 'scale', type: 'TensorFlowOp', op: 'Mul', constantShape: [1, 1, 1, 2] },
    ]);
    const [run] = Object.values(runAll([{ id: 'scaled', analysis: scaled, x, want: x }]));
    expect(run?.error).toBeUndefined();
    expect([run?.params, scaled.totals.params]).toEqual([2 * 3 * 3 * 2 + 2 + 2, 2 * 3 * 3 * 2 + 2 + 2]);
  });

  it('Maximum by a constant the file holds has no neutral start: refused with the reason; Lambda stays refused', () => {
    const max = toPyTorch(opModel([3, 4, 2], { op: 'Maximum', constantShape: [2] }, 'channels_last'));
    expect(max.ok).toBe(false);
    expect(JSON.stringify(max.ok ? null : max.problems)).toContain('no neutral value');
    const lambda = toPyTorch(
      analyze([
        { name: 'x', type: 'Input', shape: [4] },
        { name: 'f', type: 'Lambda', function: 'x' },
      ]),
    );
    expect(lambda.ok).toBe(false);
  });
});

/** PyTorch's F.pixel_shuffle on N×C×H×W: output (k, i·b + di, j·b + dj) reads channel k·b² + di·b + dj. */
function pixelShuffle(x: tf.Tensor, b: number): tf.Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return x
    .reshape([n, c / (b * b), b, b, h, w])
    .transpose([0, 1, 4, 2, 5, 3])
    .reshape([n, c / (b * b), h * b, w * b]);
}
