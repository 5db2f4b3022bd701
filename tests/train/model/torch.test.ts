import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../../src/engine/layers/fields';
import { buildModel } from '../../../src/train/model/build';
import { analyze } from '../../helpers';
import { findPython, runPython } from '../../io/python/find-python';
import { maxDiff, tensorOf, wave } from './reference';

/**
 * The built layers against PyTorch 1.13 on the same numbers: what PyTorch defines and tfjs
 * lacks (stride with dilation, groups, explicit and causal padding, transposed convolutions
 * with crop, output padding, dilation and groups, ceil-mode and padded pooling, linear
 * upsampling, the activations), outputs and gradients for the input and the kernel.
 */
const python = findPython(['torch', 'numpy']);
if (!python) console.warn('tfjs-vs-PyTorch layer checks skipped: no Python with torch (Debian: python3-torch).');

const TOLERANCE = 1e-4;

interface Case {
  readonly label: string;
  /** The engine layer, named 'l', after an input of `xShape` (no batch). */
  readonly layer: Record<string, unknown>;
  readonly xShape: number[];
  /** What the Python side needs besides x, w and g. */
  readonly torch: Record<string, unknown>;
  /** Inputs rounded to halves, so that maxima tie. */
  readonly ties?: boolean;
}

interface Answer {
  y: number[];
  yShape: number[];
  dx: number[];
  dw?: number[];
}

interface Ours {
  y: tf.Tensor;
  dx: tf.Tensor;
  dw: tf.Tensor | null;
  w: tf.Tensor | null;
  g: tf.Tensor;
}

const conv = (
  fields: Record<string, unknown>,
  torch: Record<string, unknown>,
  xShape: number[],
  label: string,
): Case => ({
  label,
  layer: { useBias: false, ...fields },
  xShape,
  torch,
});

const cases: Case[] = [
  conv(
    {
      type: 'Conv2D',
      filters: 4,
      kernelSize: [3, 2],
      strides: 2,
      dilationRate: [2, 3],
      groups: 2,
      padding: [
        [2, 1],
        [0, 3],
      ],
    },
    {
      op: 'conv',
      kernel: [3, 2],
      strides: [2, 2],
      dilation: [2, 3],
      groups: 2,
      padding: [
        [2, 1],
        [0, 3],
      ],
    },
    [11, 12, 4],
    'Conv2D stride 2, dilation 2×3, 2 groups, asymmetric explicit padding',
  ),
  conv(
    { type: 'Conv1D', filters: 3, kernelSize: 3, dilationRate: 3, padding: 'causal' },
    { op: 'conv', kernel: [3], strides: [1], dilation: [3], groups: 1, padding: [[6, 0]] },
    [17, 2],
    'Conv1D causal (left padding (k − 1)·d = 6), dilation 3',
  ),
  conv(
    { type: 'Conv1D', filters: 3, kernelSize: 4, strides: 3, dilationRate: 2, padding: 2 },
    { op: 'conv', kernel: [4], strides: [3], dilation: [2], groups: 1, padding: [[2, 2]] },
    [19, 2],
    'Conv1D stride 3 with dilation 2, padding 2',
  ),
  conv(
    { type: 'DepthwiseConv2D', kernelSize: 3, strides: 2, dilationRate: 2, depthMultiplier: 2, padding: 1 },
    {
      op: 'conv',
      kernel: [3, 3],
      strides: [2, 2],
      dilation: [2, 2],
      depthwise: true,
      padding: [
        [1, 1],
        [1, 1],
      ],
    },
    [9, 10, 3],
    'DepthwiseConv2D stride 2, dilation 2, multiplier 2',
  ),
  conv(
    {
      type: 'Conv2DTranspose',
      filters: 4,
      kernelSize: 3,
      strides: 2,
      dilationRate: 2,
      groups: 2,
      padding: [[1, 2], 1],
      outputPadding: 1,
    },
    {
      op: 'transposed',
      kernel: [3, 3],
      strides: [2, 2],
      dilation: [2, 2],
      groups: 2,
      crop: [
        [1, 2],
        [1, 1],
      ],
      outputPadding: [1, 1],
    },
    [5, 4, 4],
    'Conv2DTranspose stride 2, dilation 2, 2 groups, crop 1/2 and 1, output padding 1',
  ),
  conv(
    { type: 'Conv1DTranspose', filters: 2, kernelSize: 4, strides: 3, padding: 1, outputPadding: 2 },
    { op: 'transposed', kernel: [4], strides: [3], dilation: [1], groups: 1, crop: [[1, 1]], outputPadding: [2] },
    [6, 3],
    'Conv1DTranspose stride 3, padding 1, output padding 2',
  ),
  ...[1, 2].map((stride) =>
    conv(
      { type: 'Conv2D', filters: 3, kernelSize: 3, strides: stride, padding: 1 },
      {
        op: 'conv',
        kernel: [3, 3],
        strides: [stride, stride],
        dilation: [1, 1],
        groups: 1,
        padding: [
          [1, 1],
          [1, 1],
        ],
      },
      [8, 6, 2],
      `Conv2D 3×3, padding 1, stride ${stride} (${stride === 1 ? "run as tfjs' 'same'" : "not TF's 'same', which pads 0 and 1"})`,
    ),
  ),
  conv(
    { type: 'Conv2D', filters: 3, kernelSize: 3, strides: 2 },
    {
      op: 'conv',
      kernel: [3, 3],
      strides: [2, 2],
      dilation: [1, 1],
      groups: 1,
      padding: [
        [0, 0],
        [0, 0],
      ],
    },
    [9, 8, 2],
    'Conv2D stride 2 (tfjs’ own layer)',
  ),
  conv(
    { type: 'DepthwiseConv2D', kernelSize: 3, strides: 2, padding: 'same' },
    {
      op: 'conv',
      kernel: [3, 3],
      strides: [2, 2],
      dilation: [1, 1],
      depthwise: true,
      padding: [
        [1, 1],
        [0, 1],
      ],
    },
    [9, 10, 3],
    "DepthwiseConv2D stride 2 'same', the odd pixel at the end (tfjs’ own layer)",
  ),
  conv(
    { type: 'Conv2DTranspose', filters: 3, kernelSize: 3, strides: 2, padding: 'same' },
    {
      op: 'transposed',
      kernel: [3, 3],
      strides: [2, 2],
      dilation: [1, 1],
      groups: 1,
      crop: [
        [0, 1],
        [0, 1],
      ],
      outputPadding: [0, 0],
    },
    [4, 5, 2],
    "Conv2DTranspose Keras 'same' (tfjs’ own layer)",
  ),
  ...(
    [
      ['MaxPooling2D', [2, 2], [2, 2], 0, [8, 9, 2]],
      ['AveragePooling2D', [3, 3], [2, 2], 0, [9, 9, 2]],
      ['MaxPooling2D', [3, 3], [2, 2], 1, [8, 9, 2]],
      ['AveragePooling2D', [3, 3], [2, 2], 1, [8, 9, 2]],
      ['AveragePooling2D', [3, 2], [3, 2], 0, [8, 7, 2]],
      ['MaxPooling1D', [2], [2], 0, [7, 3]],
      ['AveragePooling1D', [3], [2], 1, [10, 3]],
    ] as const
  ).flatMap(([type, size, strides, padding, xShape]) =>
    [true, false].map((ceilMode): Case => ({
      label: `${type} ${size.join('×')} stride ${strides.join('×')} padding ${padding}${ceilMode ? ', ceil mode' : ''}`,
      layer: { type, poolSize: [...size], strides: [...strides], padding, ceilMode },
      xShape: [...xShape],
      torch: { op: 'pool', max: type.startsWith('Max'), size, strides, padding, ceilMode },
    })),
  ),
  ...(
    [
      ['UpSampling1D', [3], 'nearest', [5, 2]],
      ['UpSampling1D', [2], 'bilinear', [6, 2]],
      ['UpSampling2D', [2, 3], 'bilinear', [4, 5, 2]],
      ['UpSampling2D', [3, 2], 'nearest', [4, 3, 2]],
    ] as const
  ).map(([type, size, interpolation, xShape]): Case => ({
    label: `${type} ×${size.join('×')} ${interpolation}`,
    layer: { type, size: [...size], interpolation },
    xShape: [...xShape],
    torch: { op: 'upsample', size, bilinear: interpolation === 'bilinear' },
  })),
  ...[false, true].map((keepdims): Case => ({
    label: `GlobalMaxPooling2D${keepdims ? ' keepdims' : ''} with tied maxima (the gradient is shared, as amax shares it)`,
    layer: { type: 'GlobalMaxPooling2D', keepdims },
    xShape: [4, 5, 3],
    torch: { op: 'gmp', keepdims },
    ties: true,
  })),
  ...[...ACTIVATIONS.map((a) => [a, undefined] as const), ['elu', 0.5] as const, ['leaky_relu', 0.1] as const].map(
    ([activation, alpha]): Case => ({
      label: `Activation ${activation}${alpha === undefined ? '' : ` α = ${alpha}`}`,
      layer: { type: 'Activation', activation, ...(alpha === undefined ? {} : { alpha }) },
      xShape: [9],
      torch: { op: 'act', activation, ...(alpha === undefined ? {} : { alpha }) },
    }),
  ),
];

/** The input both sides use: 2 examples of test data, ×4 for activations, rounded to halves for ties. */
function xValues(c: Case): number[] {
  const scale = c.torch['op'] === 'act' ? 4 : 1;
  const values = wave(2 * c.xShape.reduce((a, b) => a * b, 1), 1).map((v) => v * scale);
  return c.ties ? values.map((v) => Math.round(v * 2) / 2) : values;
}

/** Builds Input → the layer, sets its kernel to test data, and runs it with gradients. */
function runOurs(c: Case): Ours {
  const built = buildModel(
    analyze([
      { name: 'x', type: 'Input', shape: c.xShape },
      { name: 'l', ...c.layer },
    ]),
  );
  if (!built.ok) throw new Error(built.error);
  expect(built.mismatches).toEqual([]);
  const model = built.model;
  const variable = model.trainableWeights[0]?.read() as tf.Variable | undefined;
  if (variable) variable.assign(tensorOf(variable.shape, 2));
  const x = tf.tensor(xValues(c), [2, ...c.xShape]);
  const y = model.apply(x) as tf.Tensor;
  const g = tensorOf(y.shape, 3);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(model.apply(input) as tf.Tensor, g)) as tf.Scalar;
  const dx = tf.grad(loss)(x);
  const dw = variable ? (tf.variableGrads(() => loss(x), [variable]).grads[variable.name] ?? null) : null;
  return { y, dx, dw, w: variable ?? null, g };
}

describe.skipIf(!python)('built layers = PyTorch 1.13 (outputs, gradients for input and kernel)', () => {
  let answers: Answer[];
  const ours: Ours[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const inputs = cases.map((c) => {
      const o = runOurs(c);
      ours.push(o);
      return {
        ...c.torch,
        x: xValues(c),
        xShape: [2, ...c.xShape],
        g: Array.from(o.g.dataSync()),
        ...(o.w ? { w: Array.from(o.w.dataSync()), wShape: o.w.shape } : {}),
      };
    });
    answers = runPython<Answer[]>(python!, fileURLToPath(new URL('./torch_reference.py', import.meta.url)), inputs);
  });

  cases.forEach((c, i) => {
    it(c.label, () => {
      const mine = ours[i] as Ours;
      const ref = answers[i] as Answer;
      expect(mine.y.shape).toEqual(ref.yShape);
      expect(maxDiff(mine.y.dataSync(), ref.y), 'output').toBeLessThan(TOLERANCE);
      expect(maxDiff(mine.dx.dataSync(), ref.dx), 'gradient for the input').toBeLessThan(TOLERANCE);
      if (ref.dw) expect(maxDiff(mine.dw!.dataSync(), ref.dw), 'gradient for the kernel').toBeLessThan(TOLERANCE);
    });
  });
});
