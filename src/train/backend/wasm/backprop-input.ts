import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { planAxis, type AxisPhase } from './phases';
import { callWasm, disposeAll, heapF32, zeros } from './kernel-utils';

/**
 * The input gradient of a convolution (regular or depthwise with channel multiplier 1), NHWC,
 * as one stride-1 convolution per phase (see phases.ts) of dy with the kernel's taps reversed:
 * the same fast kernel as the forward pass (ours in convolution.ts for a regular convolution,
 * the package's for a depthwise one), and no multiplications by inserted zeros.
 */
export interface BackpropInputArgs {
  readonly dy: TensorInfo;
  readonly filter: TensorInfo;
  readonly info: backend_util.Conv2DInfo;
  readonly depthwise: boolean;
}

export function convBackpropInputNHWC(backend: BackendWasm, args: BackpropInputArgs): TensorInfo {
  const { info } = args;
  const rows = planAxis(
    info.inHeight,
    info.outHeight,
    info.filterHeight,
    info.strideHeight,
    info.dilationHeight,
    info.padInfo.top,
  );
  const cols = planAxis(
    info.inWidth,
    info.outWidth,
    info.filterWidth,
    info.strideWidth,
    info.dilationWidth,
    info.padInfo.left,
  );
  const inShape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  const [row] = rows;
  const [col] = cols;
  if (rows.length === 1 && cols.length === 1 && row && col && row.taps.length && col.taps.length) {
    return phaseConv(backend, args, row, col);
  }
  const dx = zeros(backend, inShape);
  for (const r of rows) {
    for (const c of cols) {
      if (!r.taps.length || !c.taps.length) continue;
      const part = phaseConv(backend, args, r, c);
      interleave(backend, part, dx, r, c, info);
      disposeAll(backend, part);
    }
  }
  return dx;
}

/** One phase: crop dy if the padding exceeds the kernel's reach, then correlate with the sub-kernel. */
function phaseConv(backend: BackendWasm, args: BackpropInputArgs, r: AxisPhase, c: AxisPhase): TensorInfo {
  const { dy, depthwise } = args;
  const cropped = r.cropBefore + r.cropAfter + c.cropBefore + c.cropAfter > 0;
  const [n, h, w, ch] = dy.shape as [number, number, number, number];
  const source = cropped
    ? callWasm(
        backend,
        'Slice',
        { x: dy },
        {
          begin: [0, r.cropBefore, c.cropBefore, 0],
          size: [n, h - r.cropBefore - r.cropAfter, w - c.cropBefore - c.cropAfter, ch],
        },
      )
    : dy;
  const filter = subKernel(backend, args, r.taps, c.taps);
  const attrs = {
    strides: [1, 1],
    pad: [
      [0, 0],
      [r.padBefore, r.padAfter],
      [c.padBefore, c.padAfter],
      [0, 0],
    ],
    dilations: [r.dilation, c.dilation],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  } as unknown as Record<string, never>;
  const out = callWasm(backend, depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', { x: source, filter }, attrs);
  disposeAll(backend, filter);
  if (cropped) disposeAll(backend, source);
  return out;
}

/**
 * The kernel of one phase's correlation: the forward kernel's taps (in correlation order), and for
 * a regular convolution its in/out channels swapped ([kH, kW, in, out] → [jH, jW, out, in]).
 */
function subKernel(
  backend: BackendWasm,
  args: BackpropInputArgs,
  rowTaps: readonly number[],
  colTaps: readonly number[],
): TensorInfo {
  const [, kw, cin, cout] = args.filter.shape as [number, number, number, number];
  const jh = rowTaps.length;
  const jw = colTaps.length;
  const shape = args.depthwise ? [jh, jw, cin, cout] : [jh, jw, cout, cin];
  const out = backend.makeOutput(shape, 'float32');
  const src = heapF32(backend, args.filter);
  const dst = heapF32(backend, out);
  const block = cin * cout;
  let o = 0;
  for (let a = 0; a < jh; a++) {
    for (let b = 0; b < jw; b++) {
      const base = ((rowTaps[a] as number) * kw + (colTaps[b] as number)) * block;
      if (args.depthwise) {
        dst.set(src.subarray(base, base + block), o);
        o += block;
        continue;
      }
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) dst[o++] = src[base + ci * cout + co] as number;
      }
    }
  }
  return out;
}

/** Writes one phase's [N, Ah, Aw, C] result into dx at rows r + s·a and columns c + s·b. */
function interleave(
  backend: BackendWasm,
  part: TensorInfo,
  dx: TensorInfo,
  r: AxisPhase,
  c: AxisPhase,
  info: backend_util.Conv2DInfo,
): void {
  const src = heapF32(backend, part);
  const dst = heapF32(backend, dx);
  const ch = info.inChannels;
  const rowStride = info.inWidth * ch;
  const imageStride = info.inHeight * rowStride;
  let i = 0;
  for (let n = 0; n < info.batchSize; n++) {
    for (let a = 0; a < r.length; a++) {
      const rowBase = n * imageStride + (r.offset + a * info.strideHeight) * rowStride;
      for (let b = 0; b < c.length; b++) {
        let j = rowBase + (c.offset + b * info.strideWidth) * ch;
        for (let k = 0; k < ch; k++) dst[j++] = src[i++] as number;
      }
    }
  }
}
