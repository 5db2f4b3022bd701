import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthwiseConv, groupedConv, slidingConv, type Sliding } from '../../../src/train/model/ops/conv';
import { transposedConv, type TransposedSliding } from '../../../src/train/model/ops/transposed';
import { blockDiagonal, expandKernel, maxDiff, naiveConv, tensorOf } from './reference';

/**
 * tfjs 4.22 has no gradient for dilated conv2d/depthwiseConv2d and refuses stride > 1 with
 * dilation > 1. Our rewrites (space-to-batch, then subsampling) must give the outputs and the
 * gradients, for the input and the kernel, of a reference tfjs can differentiate: the
 * undilated convolution with the kernel's taps spread out by zeros. CPU backend, within 1e-4.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOLERANCE = 1e-4;

type Fn = (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;

/** Outputs and gradients of sum(f(x, w) · g) of ours and of the reference agree. */
function expectSameWithGradients(ours: Fn, reference: Fn, xShape: number[], wShape: number[]) {
  tf.tidy(() => {
    const x = tensorOf(xShape, 1);
    const w = tensorOf(wShape, 2);
    const y = ours(x, w);
    const yRef = reference(x, w);
    expect(y.shape).toEqual(yRef.shape);
    expect(maxDiff(y.dataSync(), yRef.dataSync())).toBeLessThan(TOLERANCE);
    const g = tensorOf(y.shape, 3);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ours(a, b), g)))([x, w]);
    const [dxRef, dwRef] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(reference(a, b), g)))([x, w]);
    expect(maxDiff(dx!.dataSync(), dxRef!.dataSync()), 'gradient for the input').toBeLessThan(TOLERANCE);
    expect(maxDiff(dw!.dataSync(), dwRef!.dataSync()), 'gradient for the kernel').toBeLessThan(TOLERANCE);
    // The gradients are not trivially zero.
    expect(tf.max(tf.abs(dw!)).dataSync()[0]).toBeGreaterThan(0.1);
  });
}

describe('dilated convolution rewrite = undilated convolution with a spread kernel (outputs and gradients)', () => {
  const cases: { label: string; x: number[]; k: number[]; s: Sliding; groups: number }[] = [
    {
      label: '3×3, dilation 2, valid',
      x: [2, 11, 10, 3],
      k: [3, 3],
      s: sl([3, 3], [1, 1], [2, 2], 'valid'),
      groups: 1,
    },
    { label: '3×2, dilation 2×3, same', x: [1, 9, 13, 2], k: [3, 2], s: sl([3, 2], [1, 1], [2, 3], 'same'), groups: 1 },
    {
      label: '3×3, stride 2, dilation 2',
      x: [2, 12, 11, 2],
      k: [3, 3],
      s: sl([3, 3], [2, 2], [2, 2], 'valid'),
      groups: 1,
    },
    {
      label: 'stride 3 × 1, dilation 1 × 2, same',
      x: [1, 10, 9, 2],
      k: [2, 3],
      s: sl([2, 3], [3, 1], [1, 2], 'same'),
      groups: 1,
    },
    {
      label: '2 groups, stride 2, dilation 3',
      x: [2, 13, 13, 4],
      k: [3, 3],
      s: sl([3, 3], [2, 2], [3, 3], 'valid'),
      groups: 2,
    },
  ];
  for (const c of cases) {
    it(`Conv2D ${c.label}`, () => {
      const outC = 4;
      const inPer = (c.x[3] as number) / c.groups;
      expectSameWithGradients(
        (x, w) => slidingConv(x, c.s, groupedConv(w, c.groups)),
        (x, w) =>
          tf.conv2d(
            x as tf.Tensor4D,
            blockDiagonal(expandKernel(w, c.s.dilation), c.groups) as tf.Tensor4D,
            c.s.strides as [number, number],
            c.s.padding,
          ),
        c.x,
        [...c.k, inPer, outC],
      );
    });
  }

  it('Conv1D, kernel 3, dilation 4 (a causal stack’s layer), and stride 2 with dilation 2', () => {
    for (const [s, d] of [
      [1, 4],
      [2, 2],
    ] as const) {
      expectSameWithGradients(
        (x, w) => slidingConv(x, sl([3], [s], [d], 'valid'), groupedConv(w, 1)),
        (x, w) => tf.conv1d(x as tf.Tensor3D, expandKernel(w, [d]) as tf.Tensor3D, s, 'valid'),
        [2, 23, 3],
        [3, 3, 5],
      );
    }
  });

  it('DepthwiseConv2D, multiplier 2, dilation 2, with and without stride 2', () => {
    for (const stride of [1, 2]) {
      expectSameWithGradients(
        (x, w) => slidingConv(x, sl([3, 3], [stride, stride], [2, 2], 'same'), depthwiseConv(w)),
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, expandKernel(w, [2, 2]) as tf.Tensor4D, stride, 'same'),
        [2, 10, 9, 3],
        [3, 3, 3, 2],
      );
    }
  });

  it('agrees with the definition of a convolution (loops) for stride, dilation, padding and groups together', () => {
    tf.tidy(() => {
      const x = tensorOf([1, 12, 11, 4], 5);
      const w = tensorOf([3, 2, 2, 6], 6);
      const padded = tf.pad(x, [
        [0, 0],
        [2, 1],
        [0, 3],
        [0, 0],
      ]);
      const y = slidingConv(padded, sl([3, 2], [2, 3], [2, 3], 'valid'), groupedConv(w, 2));
      const ref = naiveConv(x, w, {
        strides: [2, 3],
        dilation: [2, 3],
        padding: [
          [2, 1],
          [0, 3],
        ],
        groups: 2,
      });
      expect(y.shape).toEqual(ref.shape);
      expect(maxDiff(y.dataSync(), ref.data)).toBeLessThan(TOLERANCE);
    });
  });
});

describe('transposed convolution with dilation and groups = spread-kernel conv2dTranspose (outputs and gradients)', () => {
  const cases: { label: string; t: TransposedSliding; inC: number }[] = [
    {
      label: 'dilation 2, stride 2, crop 1 + 2, output padding 1',
      t: tr(
        [3, 3],
        [2, 2],
        [2, 2],
        1,
        [
          [1, 2],
          [1, 2],
        ],
        [1, 1],
      ),
      inC: 3,
    },
    {
      label: '2 groups, stride 3 × 1, dilation 1 × 2',
      t: tr(
        [2, 3],
        [3, 1],
        [1, 2],
        2,
        [
          [0, 1],
          [2, 0],
        ],
        [2, 1],
      ),
      inC: 4,
    },
    {
      label: 'no dilation, no groups (tfjs’ own op), output padding 1',
      t: tr(
        [3, 3],
        [2, 2],
        [1, 1],
        1,
        [
          [1, 1],
          [0, 2],
        ],
        [1, 0],
      ),
      inC: 2,
    },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const outC = 4;
      expectSameWithGradients(
        (x, w) => transposedConv(x, w, c.t),
        (x, w) => referenceTransposed(x, w, c.t),
        [2, 5, 4, c.inC],
        [...c.t.kernel, outC, c.inC / c.t.groups],
      );
    });
  }
});

/** conv2dTranspose (differentiable in tfjs) with the spread, block-diagonal kernel, zeros for output padding, then PyTorch's crop. */
function referenceTransposed(x: tf.Tensor, w: tf.Tensor, t: TransposedSliding): tf.Tensor {
  const full = tf.transpose(blockDiagonal(tf.transpose(w, [0, 1, 3, 2]), t.groups), [0, 1, 3, 2]);
  const kernel = expandKernel(full, t.dilation) as tf.Tensor4D;
  const [n, h, wd] = x.shape as number[];
  const sizes = [h as number, wd as number].map(
    (l, i) => (l - 1) * (t.strides[i] as number) + (kernel.shape[i] as number),
  );
  const y = tf.conv2dTranspose(
    x as tf.Tensor4D,
    kernel,
    [n as number, sizes[0] as number, sizes[1] as number, kernel.shape[2]],
    t.strides as [number, number],
    'valid',
  );
  const op = t.outputPadding as number[];
  const padded = tf.pad(y, [
    [0, 0],
    [0, op[0] as number],
    [0, op[1] as number],
    [0, 0],
  ]);
  const out = sizes.map((f, i) => f - t.crop[i]![0] - t.crop[i]![1] + (op[i] as number));
  return tf.slice(padded, [0, t.crop[0]![0], t.crop[1]![0], 0], [-1, out[0] as number, out[1] as number, -1]);
}

function sl(kernel: number[], strides: number[], dilation: number[], padding: 'valid' | 'same'): Sliding {
  return { kernel, strides, dilation, padding };
}

function tr(
  kernel: number[],
  strides: number[],
  dilation: number[],
  groups: number,
  crop: [number, number][],
  outputPadding: number[],
): TransposedSliding {
  return { kernel, strides, dilation, groups, crop, outputPadding };
}
