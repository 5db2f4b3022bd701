import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { axisRuns } from '../../../src/train/backend/wasm/conv-axes';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectWasmMatchesCpu, maxError, randomValues } from './compare';
import {
  attrsOf,
  padOf,
  type ConvCase,
  type Pad,
  conv2dGradients,
  convCaseArb,
  filterGradientOf,
  RESNET20_CASES,
  shapesOf,
  tensor,
} from './conv-cases';

/**
 * Gradient checks of the convolution kernels we register for 'wasm' against the CPU backend's
 * kernels on random shapes: batch, size, channels, kernel, stride, dilation (depthwise), 'same',
 * 'valid' and explicit padding, NHWC and NCHW. Tolerance 1e-4, absolute for values up to 1 and
 * relative above (compare.ts). A wrong tap, phase, padding or transpose shows up as O(1) errors.
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

const runs = { numRuns: 60 };

describe('Conv2D and FusedConv2D on wasm (our SIMD loops where they apply) = cpu', () => {
  // Output channels 1–20 (multiples of 4 take our loops, the rest the package's), dilation with
  // stride 1 (tfjs allows one or the other), bias and ReLU, linear or ELU (the package's). NHWC:
  // the package's kernels take nothing else.
  const forward = fc.record({
    c: convCaseArb.map((c) => ({ ...c, nchw: false, cout: c.seed % 3 ? 4 * c.cout : c.cout })),
    dilation: fc.integer({ min: 1, max: 3 }),
    bias: fc.boolean(),
    activation: fc.constantFrom('linear', 'relu', 'elu') as fc.Arbitrary<tf.fused.Activation>,
  });

  it('matches on random convolutions, with and without bias and ReLU', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(forward, async ({ c, dilation, bias, activation }) => {
        const d = c.sh === 1 && c.sw === 1 ? dilation : 1;
        const s = shapesOf(c, d);
        if (!s) return;
        const cout = c.cout;
        const f = () =>
          tf.fused.conv2d({
            x: tensor(s.xShape, c.seed) as tf.Tensor4D,
            filter: tensor(s.filterShape, c.seed + 1) as tf.Tensor4D,
            strides: [c.sh, c.sw],
            pad: padOf(c),
            dilations: d,
            ...(bias ? { bias: tensor([cout], c.seed + 2) } : {}),
            activation,
          });
        await expectWasmMatchesCpu(f, JSON.stringify({ c, d, bias, activation }));
        checked++;
      }),
      runs,
    );
    expect(checked).toBeGreaterThan(30);
  });

  it("computes 'same' padding with unequal strides (the package's kernel gave zeros for it)", async () => {
    for (const cout of [1, 4]) {
      const f = () =>
        tf.conv2d(tensor([2, 2, 6, 3], 7) as tf.Tensor4D, tensor([2, 1, 3, cout], 8) as tf.Tensor4D, [1, 2], 'same');
      await expectWasmMatchesCpu(f, `cout ${cout}`, 1e-5);
    }
  });

  it('the axis runs: each output with the taps that land inside the input, neighbours with the same taps merged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (size, dilation, stride, pad, inSize) => {
          const outSize = Math.floor((inSize + 2 * pad - (size - 1) * dilation - 1) / stride) + 1;
          if (outSize < 1) return;
          const inside = (o: number) =>
            Array.from({ length: size }, (_, t) => t).filter((t) => {
              const i = o * stride + t * dilation - pad;
              return i >= 0 && i < inSize;
            });
          const runs = axisRuns(size, dilation, stride, pad, inSize, outSize);
          const expected = Array.from({ length: outSize }, (_, o) => inside(o));
          if (expected.some((taps) => !taps.length)) {
            expect(runs).toBeNull();
            return;
          }
          const seen = (runs ?? []).flatMap((r) =>
            Array.from({ length: r.count }, () => Array.from({ length: r.taps }, (_, k) => r.tap + k)),
          );
          expect(seen).toEqual(expected);
          (runs ?? [])
            .slice(1)
            .forEach((r, i) => expect([r.tap, r.taps]).not.toEqual([runs?.[i]?.tap, runs?.[i]?.taps]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Conv2DBackpropInput and Conv2DBackpropFilter on wasm = cpu', () => {
  it('the input gradient (polyphase XNNPACK correlations) matches on random convolutions', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(convCaseArb, async (c) => {
        const s = shapesOf(c);
        if (!s) return;
        const f = () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: tensor(s.dyShape, c.seed), filter: tensor(s.filterShape, c.seed + 1) },
              { ...attrsOf(c), inputShape: s.xShape } as unknown as tf.NamedAttrMap,
            ) as tf.Tensor;
        await expectWasmMatchesCpu(f, JSON.stringify(c));
        checked++;
      }),
      runs,
    );
    expect(checked).toBeGreaterThan(30);
  });

  /** Checks the filter gradient on `cases` against the CPU backend; returns how many were not empty. */
  async function filterGradientsMatch(cases: fc.Arbitrary<ConvCase>, numRuns = runs.numRuns): Promise<number> {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const f = filterGradientOf(c);
        if (!f) return;
        await expectWasmMatchesCpu(f, JSON.stringify(c));
        checked++;
      }),
      { numRuns },
    );
    return checked;
  }

  it('the filter gradient (batch and channels swapped, one XNNPACK convolution) matches on random convolutions', async () => {
    expect(await filterGradientsMatch(convCaseArb)).toBeGreaterThan(30);
  });

  it('the filter gradient matches with batch and channels multiples of 4 (the SIMD transpose)', async () => {
    const wide = convCaseArb.map((c) => ({ ...c, n: 4 * c.n, cin: 4 * Math.min(c.cin, 2) }));
    expect(await filterGradientsMatch(wide, 25)).toBeGreaterThan(10);
  });

  it('the filter gradient matches with output channels a multiple of 4 (our SIMD loops straight on NHWC)', async () => {
    // cin 1–5 and cout 4–20 reach every block of the loops: pairs of input channels and the odd
    // one left, 16 output channels and the 4, 8 or 12 left.
    const direct = convCaseArb.map((c) => ({ ...c, cout: 4 * c.cout }));
    expect(await filterGradientsMatch(direct)).toBeGreaterThan(30);
  });

  it('the filter gradient takes our loops, not a convolution, when the output channels allow', async () => {
    const convolutions = await conv2dCalls(() => {
      const f = filterGradientOf({ ...(RESNET20_CASES[0] as ConvCase), n: 2 }) as () => tf.Tensor;
      tf.tidy(f);
    });
    expect(convolutions).toBe(0);
    const odd = await conv2dCalls(() => {
      const f = filterGradientOf({ ...(RESNET20_CASES[0] as ConvCase), n: 2, cout: 6 }) as () => tf.Tensor;
      tf.tidy(f);
    });
    expect(odd).toBe(1);
  });

  it('the direct filter gradient follows dilation, stride and padding (brute-force sum)', async () => {
    await tf.setBackend('wasm');
    const cases = fc.record({
      c: convCaseArb.map((c) => ({ ...c, cout: 4 * c.cout, nchw: false })),
      dh: fc.integer({ min: 1, max: 3 }),
      dw: fc.integer({ min: 1, max: 3 }),
    });
    let checked = 0;
    fc.assert(
      fc.property(cases, ({ c, dh, dw }) => {
        const pad = padOf(c);
        const info = tf.backend_util.computeConv2DInfo(
          [c.n, c.h, c.w, c.cin],
          [c.kh, c.kw, c.cin, c.cout],
          [c.sh, c.sw],
          [dh, dw],
          pad as Pad,
        );
        if (info.outHeight < 1 || info.outWidth < 1) return;
        const x = randomValues(c.n * c.h * c.w * c.cin, c.seed);
        const dy = randomValues(c.n * info.outHeight * info.outWidth * c.cout, c.seed + 1);
        const actual = tf.tidy(() =>
          (
            tf
              .engine()
              .runKernel(
                'Conv2DBackpropFilter',
                { x: tf.tensor(x, info.inShape), dy: tf.tensor(dy, info.outShape) },
                { strides: [c.sh, c.sw], pad, dilations: [dh, dw], dataFormat: 'NHWC', filterShape: info.filterShape },
              ) as tf.Tensor
          ).dataSync(),
        );
        const err = maxError(actual as Float32Array, bruteFilterGradient(x, dy, info));
        expect(err, JSON.stringify({ c, dh, dw })).toBeLessThanOrEqual(1e-4);
        checked++;
      }),
      runs,
    );
    expect(checked).toBeGreaterThan(30);
  });

  it('ResNet-20 shapes, batch 8: 3×3 stride 1 and 2 and the 1×1 stride-2 projection', async () => {
    for (const c of RESNET20_CASES) await expectWasmMatchesCpu(conv2dGradients(c), JSON.stringify(c));
  });
});

/** How many times the WASM backend's Conv2D kernel runs during `f` (on 'wasm'). */
async function conv2dCalls(f: () => void): Promise<number> {
  await tf.setBackend('wasm');
  const kernel = tf.getKernel('Conv2D', 'wasm') as tf.KernelConfig;
  let calls = 0;
  tf.unregisterKernel('Conv2D', 'wasm');
  tf.registerKernel({ ...kernel, kernelFunc: (args) => (calls++, kernel.kernelFunc(args)) });
  try {
    f();
  } finally {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel(kernel);
  }
  return calls;
}

/** dW[a, b, ci, co] = Σ x[n, oh·sh + a·dh − top, ow·sw + b·dw − left, ci] · dy[n, oh, ow, co], term by term. */
function bruteFilterGradient(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float64Array {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: cin,
    outHeight: oh,
    outWidth: ow,
    outChannels: cout,
  } = info;
  const {
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  const dW = new Float64Array(kh * kw * cin * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let p = 0; p < kh; p++)
          for (let q = 0; q < kw; q++) {
            const y = i * sh + p * dh - info.padInfo.top;
            const z = j * sw + q * dw - info.padInfo.left;
            if (y < 0 || y >= h || z < 0 || z >= w) continue;
            for (let ci = 0; ci < cin; ci++)
              for (let co = 0; co < cout; co++)
                dW[((p * kw + q) * cin + ci) * cout + co]! +=
                  (x[((b * h + y) * w + z) * cin + ci] as number) * (dy[((b * oh + i) * ow + j) * cout + co] as number);
          }
  return dW;
}
