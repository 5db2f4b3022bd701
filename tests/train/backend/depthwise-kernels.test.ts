import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectWasmMatchesCpu, randomValues } from './compare';

/**
 * The depthwise gradients we add to 'wasm' (tfjs-backend-wasm 4.22 has neither) against the CPU
 * backend on random shapes, channel multipliers 1–3, strides, dilations and paddings; tolerance
 * 1e-4 (absolute up to 1, relative above). The CPU kernels ignore the dilation attribute, so for
 * dilation d > 1 the reference is the CPU kernel on the equivalent undilated kernel: the taps
 * spread d apart with zeros between (same output size, same 'same' padding).
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

interface DepthwiseCase {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly m: number;
  readonly kh: number;
  readonly kw: number;
  /** Stride or dilation (tfjs allows only one of them above 1). */
  readonly step: number;
  readonly dilated: boolean;
  readonly pad: 'same' | 'valid' | readonly [number, number, number, number];
  readonly seed: number;
}

const small = (max: number) => fc.integer({ min: 1, max });
const caseArb: fc.Arbitrary<DepthwiseCase> = fc.record({
  n: small(2),
  h: small(9),
  w: small(9),
  c: small(4),
  m: small(3),
  kh: small(4),
  kw: small(4),
  step: small(3),
  dilated: fc.boolean(),
  pad: fc.oneof(
    fc.constant('same' as const),
    fc.constant('valid' as const),
    fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
  ),
  seed: fc.integer(),
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const padOf = (c: DepthwiseCase): Pad =>
  typeof c.pad === 'string'
    ? c.pad
    : [
        [0, 0],
        [c.pad[0], c.pad[1]],
        [c.pad[2], c.pad[3]],
        [0, 0],
      ];

const stride = (c: DepthwiseCase) => (c.dilated ? 1 : c.step);
const dilation = (c: DepthwiseCase) => (c.dilated ? c.step : 1);
const spread = (k: number, d: number) => (k - 1) * d + 1;

function shapesOf(c: DepthwiseCase) {
  const xShape: [number, number, number, number] = [c.n, c.h, c.w, c.c];
  const filterShape: [number, number, number, number] = [c.kh, c.kw, c.c, c.m];
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    stride(c),
    dilation(c),
    padOf(c),
    undefined,
    true,
  );
  if (info.outHeight < 1 || info.outWidth < 1) return null;
  const d = dilation(c);
  const dilatedShape: [number, number, number, number] = [spread(c.kh, d), spread(c.kw, d), c.c, c.m];
  return { xShape, filterShape, dilatedShape, dyShape: info.outShape };
}

const values = (shape: readonly number[], seed: number) =>
  randomValues(
    shape.reduce((p, s) => p * s, 1),
    seed,
  );

/** The kernel with its taps d apart and zeros between, as a plain array [kh', kw', c, m]. */
function dilateKernel(w: Float32Array, c: DepthwiseCase, d: number): Float32Array {
  const [kh2, kw2] = [spread(c.kh, d), spread(c.kw, d)];
  const block = c.c * c.m;
  const out = new Float32Array(kh2 * kw2 * block);
  for (let a = 0; a < c.kh; a++)
    for (let b = 0; b < c.kw; b++)
      out.set(w.subarray((a * c.kw + b) * block, (a * c.kw + b + 1) * block), (a * d * kw2 + b * d) * block);
  return out;
}

const attrs = (c: DepthwiseCase, d: number) => ({
  strides: stride(c),
  dilations: d,
  pad: padOf(c),
  dimRoundingMode: undefined,
});

describe('DepthwiseConv2dNativeBackpropInput and …Filter on wasm = cpu', () => {
  it('the input gradient matches (XNNPACK phases for multiplier 1, loops otherwise)', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const s = shapesOf(c);
        if (!s) return;
        const d = dilation(c);
        const dy = values(s.dyShape, c.seed);
        const w = values(s.filterShape, c.seed + 1);
        const run = (filter: Float32Array, shape: number[], dil: number) => () =>
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy: tf.tensor(dy, s.dyShape), filter: tf.tensor(filter, shape) },
              { ...attrs(c, dil), inputShape: s.xShape } as unknown as tf.NamedAttrMap,
            ) as tf.Tensor;
        await expectWasmMatchesCpu(
          run(w, s.filterShape, d),
          JSON.stringify(c),
          1e-4,
          run(dilateKernel(w, c, d), s.dilatedShape, 1),
        );
        checked++;
      }),
      { numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(30);
  });

  it('the filter gradient matches', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const s = shapesOf(c);
        if (!s) return;
        const d = dilation(c);
        const x = values(s.xShape, c.seed);
        const dy = values(s.dyShape, c.seed + 1);
        const run = (shape: number[], dil: number) =>
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor(x, s.xShape), dy: tf.tensor(dy, s.dyShape) },
              { ...attrs(c, dil), filterShape: shape } as unknown as tf.NamedAttrMap,
            ) as tf.Tensor;
        const reference = () => {
          const full = run(s.dilatedShape, 1);
          return tf.stridedSlice(full, [0, 0, 0, 0], full.shape, [d, d, 1, 1]);
        };
        await expectWasmMatchesCpu(() => run(s.filterShape, d), JSON.stringify(c), 1e-4, reference);
        checked++;
      }),
      { numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(30);
  });
});
