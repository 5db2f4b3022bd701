import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm-kernels';
import { expectWasmMatchesCpu } from './compare';
import {
  attrsOf,
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

  it('the filter gradient (batch and channels swapped, one XNNPACK convolution) matches on random convolutions', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(convCaseArb, async (c) => {
        const f = filterGradientOf(c);
        if (!f) return;
        await expectWasmMatchesCpu(f, JSON.stringify(c));
        checked++;
      }),
      runs,
    );
    expect(checked).toBeGreaterThan(30);
  });

  it('the filter gradient matches with batch and channels multiples of 4 (the SIMD transpose)', async () => {
    const wide = convCaseArb.map((c) => ({ ...c, n: 4 * c.n, cin: 4 * Math.min(c.cin, 2) }));
    await fc.assert(
      fc.asyncProperty(wide, async (c) => {
        const f = filterGradientOf(c);
        if (!f) return;
        await expectWasmMatchesCpu(f, JSON.stringify(c));
      }),
      { numRuns: 25 },
    );
  });

  it('ResNet-20 shapes, batch 8: 3×3 stride 1 and 2 and the 1×1 stride-2 projection', async () => {
    for (const c of RESNET20_CASES) await expectWasmMatchesCpu(conv2dGradients(c), JSON.stringify(c));
  });
});
