import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { randomValues } from './compare';

/** Random 2-D convolutions for the gradient kernels' checks (conv-kernels, webgpu-kernels). */

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly cin: number;
  readonly cout: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pad: 'same' | 'valid' | readonly [number, number, number, number];
  readonly nchw: boolean;
  readonly seed: number;
}

const small = (max: number) => fc.integer({ min: 1, max });
const padArb = fc.oneof(
  fc.constant('same' as const),
  fc.constant('valid' as const),
  fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)),
);
export const convCaseArb: fc.Arbitrary<ConvCase> = fc.record({
  n: small(3),
  h: small(9),
  w: small(9),
  cin: small(5),
  cout: small(5),
  kh: small(4),
  kw: small(4),
  sh: small(3),
  sw: small(3),
  pad: padArb,
  nchw: fc.boolean(),
  seed: fc.integer(),
});

export function padOf(c: ConvCase): Pad {
  if (typeof c.pad === 'string') return c.pad;
  const [t, b, l, r] = c.pad;
  return c.nchw
    ? [
        [0, 0],
        [0, 0],
        [t, b],
        [l, r],
      ]
    : [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ];
}

/** The forward convolution's shapes (with `dilation`), or null when its output would be empty. */
export function shapesOf(c: ConvCase, dilation = 1) {
  const xShape: [number, number, number, number] = c.nchw ? [c.n, c.cin, c.h, c.w] : [c.n, c.h, c.w, c.cin];
  const filterShape: [number, number, number, number] = [c.kh, c.kw, c.cin, c.cout];
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    [c.sh, c.sw],
    dilation,
    padOf(c),
    undefined,
    false,
    c.nchw ? 'channelsFirst' : 'channelsLast',
  );
  if (info.outHeight < 1 || info.outWidth < 1) return null;
  return { xShape, filterShape, dyShape: info.outShape };
}

export const tensor = (shape: readonly number[], seed: number) =>
  tf.tensor(
    randomValues(
      shape.reduce((p, s) => p * s, 1),
      seed,
    ),
    [...shape],
  );

export const attrsOf = (c: ConvCase) => ({
  strides: [c.sh, c.sw],
  pad: padOf(c),
  dataFormat: c.nchw ? 'NCHW' : 'NHWC',
  dimRoundingMode: undefined,
});

/** Conv2DBackpropFilter on seeded x and dy for `c`, called as the gradient calls it; null when `c` is empty. */
export function filterGradientOf(c: ConvCase): (() => tf.Tensor) | null {
  const s = shapesOf(c);
  if (!s) return null;
  return () =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x: tensor(s.xShape, c.seed), dy: tensor(s.dyShape, c.seed + 1) }, {
      ...attrsOf(c),
      filterShape: s.filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** ResNet-20's convolutions at batch 8: 3×3 stride 1 and 2, and the 1×1 stride-2 projection. */
export const RESNET20_CASES: readonly ConvCase[] = [
  { n: 8, h: 32, w: 32, cin: 16, cout: 16, kh: 3, kw: 3, sh: 1, sw: 1, pad: 'same', nchw: false, seed: 1 },
  { n: 8, h: 32, w: 32, cin: 16, cout: 32, kh: 3, kw: 3, sh: 2, sw: 2, pad: 'same', nchw: false, seed: 2 },
  { n: 8, h: 16, w: 16, cin: 32, cout: 64, kh: 1, kw: 1, sh: 2, sw: 2, pad: 'valid', nchw: false, seed: 3 },
];

/** The input and filter gradients of tf.conv2d for `c` (seeded x, filter and dy), as training reaches the kernels. */
export function conv2dGradients(c: ConvCase): () => tf.Tensor[] {
  const s = shapesOf(c);
  if (!s) throw new Error(`empty convolution ${JSON.stringify(c)}`);
  return () =>
    tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [c.sh, c.sw], padOf(c))
        .mul(tensor(s.dyShape, c.seed + 2))
        .sum(),
    )([tensor(s.xShape, c.seed), tensor(s.filterShape, c.seed + 1)]);
}
