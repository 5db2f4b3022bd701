import { backend_util, util, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import { getThreadsCount, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { axisOf, axisRuns, type AxisRun } from './conv-axes';
import { blockRuns, CHANNEL_VECTORS, CONVOLUTION_COLUMNS } from './simd-conv';
import { addressOf, simdFor, type SimdExports } from './simd-program';
import { disposeAll, zeros, type ConvAttrs } from './kernel-utils';

/**
 * Conv2D and FusedConv2D (bias, ReLU) on WASM as simd-conv.ts' convolution loops, straight on the
 * NHWC input and the [kH, kW, in, out] filter. The package's XNNPACK convolution packs the filter
 * on every call (in training the filter changes every step) and reaches about 13 G multiply-adds
 * a second here; the loops reach about 21, on one thread. The input gradient's correlations
 * (backprop-input.ts) call Conv2D, so they take this path too. On the threaded build the
 * package's kernel runs on every thread and beat the loops there (one worker, 2 threads: 120–171
 * images/s, mean 142, against 126–131 in interleaved runs), so the loops serve single-threaded
 * backends: every worker of the default layout (threads.ts). Every other case (threads,
 * NCHW, other activations, output channels not a multiple of 4, an output that reads only
 * padding) goes to the package's kernel.
 */

/** FusedConv2D adds an activation (and bias and PReLU weights among the inputs). */
type ConvolutionAttrs = ConvAttrs & { readonly activation?: string };

const float = (...infos: readonly (TensorInfo | undefined)[]) => infos.every((t) => !t || t.dtype === 'float32');

export function makeConvolution(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvolutionAttrs;
    if (!x || !filter || attrs.dataFormat === 'NCHW') return original(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const activation = attrs.activation ?? 'linear';
    const backend = args.backend as BackendWasm;
    const fits =
      !preluActivationWeights &&
      (activation === 'linear' || activation === 'relu') &&
      float(x, filter, bias) &&
      (!bias || util.sizeFromShape(bias.shape) === info.outChannels) &&
      info.outChannels % 4 === 0 &&
      info.inChannels > 0 &&
      util.sizeFromShape(info.outShape) > 0;
    const simd = fits && getThreadsCount() === 1 ? simdFor(backend) : null;
    const rows = simd && axisRuns(...axisOf(info, 'Height'));
    const cols = rows && axisRuns(...axisOf(info, 'Width'));
    if (!simd || !rows || !cols) {
      // The package's kernel computes 'same' padding wrongly when the strides differ (all zeros
      // for strides [1, 2] on a 1 × 2 input); the same padding spelled out, it is right.
      const { top, bottom, left, right } = info.padInfo;
      const pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      return original({ ...args, attrs: { ...args.attrs, pad } as unknown as NamedAttrMap });
    }
    const out = backend.makeOutput(info.outShape, 'float32');
    const offsets = bias ?? zeros(backend, [info.outChannels]);
    convolve(simd, { x, filter, bias: offsets, out, backend }, info, rows, cols, activation === 'relu' ? 0 : -Infinity);
    if (!bias) disposeAll(backend, offsets);
    return out;
  };
}

/** Calls the loops over each rectangle of outputs with the same taps, in blocks they take. */
function convolve(
  simd: SimdExports,
  tensors: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo; out: TensorInfo; backend: BackendWasm },
  info: backend_util.Conv2DInfo,
  rows: readonly AxisRun[],
  cols: readonly AxisRun[],
  floor: number,
): void {
  const { backend } = tensors;
  const [xAt, wAt, biasAt, outAt] = [tensors.x, tensors.filter, tensors.bias, tensors.out].map((t) =>
    addressOf(backend, t),
  ) as [number, number, number, number];
  const { batchSize, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [xImage, xRow, xCol, aStep, bStep] = [
    4 * h * w * ci,
    4 * sh * w * ci,
    4 * sw * ci,
    4 * dh * w * ci,
    4 * dw * ci,
  ];
  const [wA, wB, outImage, outRow, outCol] = [4 * kw * ci * co, 4 * ci * co, 4 * oh * ow * co, 4 * ow * co, 4 * co];
  const outputChannels = blockRuns(co, CHANNEL_VECTORS, 4);
  for (const row of rows) {
    for (const col of cols) {
      const inRow = row.out * sh + row.tap * dh - info.padInfo.top;
      const inCol = col.out * sw + col.tap * dw - info.padInfo.left;
      const x = xAt + 4 * (inRow * w + inCol) * ci;
      const filter = wAt + 4 * (row.tap * kw + col.tap) * ci * co;
      const out = outAt + 4 * (row.out * ow + col.out) * co;
      // Undilated, a row's taps and channels lie one after another in x and in the filter alike:
      // one run of taps × channels (9 steps for a 3-channel image, not 3 runs of 3).
      const [bCount, run] = dw === 1 ? [1, col.taps * ci] : [col.taps, ci];
      for (const columns of blockRuns(col.count, CONVOLUTION_COLUMNS)) {
        for (const channels of outputChannels) {
          simd[`conv${columns.size}x${channels.size}`](
            x + columns.start * xCol,
            filter + 4 * channels.start,
            biasAt + 4 * channels.start,
            out + columns.start * outCol + 4 * channels.start,
            batchSize,
            row.count,
            columns.count / columns.size,
            row.taps,
            bCount,
            run,
            channels.count,
            outCol,
            xImage,
            xRow,
            xCol,
            aStep,
            bStep,
            wA,
            wB,
            outImage,
            outRow,
            floor,
          );
        }
      }
    }
  }
}
