import { util, type backend_util, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { axisOf, tapRuns } from './conv-axes';
import { blockRuns, CHANNEL_VECTORS, FILTER_GRADIENT_ROWS } from './simd-conv';
import { addressOf, simdFor, type FilterGradientLoop, type SimdExports } from './simd-program';
import { callWasm, disposeAll, heapF32, transpose, zeros } from './kernel-utils';

/**
 * The filter gradient of a regular convolution, NHWC:
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh·d − p, ow·s + kw·d − p', ci] · dy[n, oh, ow, co].
 * With WASM SIMD and float32 tensors whose output channels are a multiple of 4, our own loops
 * compute it straight from x and dy (directFilterGradient). Otherwise: that sum is itself a
 * convolution once batch and channels swap roles: x as [ci, H, W, n] (ci the batch, n the
 * channels), dy as the filter [oh, ow, n, co], stride d and dilation s (the forward pass's
 * dilation and stride exchanged). Its output [ci, kh, kw, co] is dW transposed. XNNPACK then
 * does the whole reduction in one GEMM, as fast as the forward pass, instead of a JS loop.
 */
export function convBackpropFilterNHWC(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  const fits = cout % 4 === 0 && x.dtype === 'float32' && dy.dtype === 'float32';
  const simd = fits && util.sizeFromShape(x.shape) > 0 && util.sizeFromShape(dy.shape) > 0 ? simdFor(backend) : null;
  if (simd) return directFilterGradient(backend, simd, x, dy, info);
  const xT = toCHWN(backend, x);
  const dyT = toHWNC(backend, dy);
  // Zeros after the input so the correlation yields at least kh × kw positions; rows the forward
  // pass never read (a 'valid' stride that does not divide evenly) then fall outside dW and are cut.
  const reach = (k: number, d: number, s: number, out: number) => (k - 1) * d + s * (out - 1) + 1;
  const bottom = Math.max(
    0,
    reach(kh, info.dilationHeight, info.strideHeight, info.outHeight) - info.inHeight - info.padInfo.top,
  );
  const right = Math.max(
    0,
    reach(kw, info.dilationWidth, info.strideWidth, info.outWidth) - info.inWidth - info.padInfo.left,
  );
  const attrs = {
    strides: [info.dilationHeight, info.dilationWidth],
    pad: [
      [0, 0],
      [info.padInfo.top, bottom],
      [info.padInfo.left, right],
      [0, 0],
    ],
    dilations: [info.strideHeight, info.strideWidth],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  } as unknown as Record<string, never>;
  const product = callWasm(backend, 'Conv2D', { x: xT, filter: dyT }, attrs);
  disposeAll(backend, xT, dyT);
  const [, ph, pw] = product.shape as [number, number, number, number];
  const dW = backend.makeOutput([kh, kw, cin, cout], 'float32');
  const src = heapF32(backend, product);
  const dst = heapF32(backend, dW);
  let o = 0;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let ci = 0; ci < cin; ci++) {
        const base = ((ci * ph + a) * pw + b) * cout;
        dst.set(src.subarray(base, base + cout), o);
        o += cout;
      }
    }
  }
  disposeAll(backend, product);
  return dW;
}

/**
 * dW summed image by image and tap by tap with simd-conv.ts' loops, on x and dy as they lie in the
 * heap. For tap (a, b) only the outputs whose input position falls inside x contribute (padding
 * adds zeros); each image's x and dy stay in cache across the nine taps.
 */
function directFilterGradient(
  backend: BackendWasm,
  simd: SimdExports,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: cin, outHeight, outWidth, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dW = zeros(backend, [kh, kw, cin, cout]);
  const [xAt, dyAt, dWAt] = [addressOf(backend, x), addressOf(backend, dy), addressOf(backend, dW)];
  const rows = tapRuns(...axisOf(info, 'Height'));
  const cols = tapRuns(...axisOf(info, 'Width'));
  const blocks = filterGradientBlocks(simd, cin, cout);
  const [xRow, xCol, dyRow, dyCol] = [4 * sh * inWidth * cin, 4 * sw * cin, 4 * outWidth * cout, 4 * cout];
  for (let n = 0; n < batchSize; n++) {
    for (const row of rows) {
      for (const col of cols) {
        const xFirst = xAt + 4 * (((n * inHeight + row.first) * inWidth + col.first) * cin);
        const dyFirst = dyAt + 4 * (((n * outHeight + row.out) * outWidth + col.out) * cout);
        const tap = dWAt + 4 * (row.tap * kw + col.tap) * cin * cout;
        for (const { loop, ci, ciCount, co, coCount } of blocks) {
          loop(
            xFirst + 4 * ci,
            dyFirst + 4 * co,
            tap + 4 * (ci * cout + co),
            row.count,
            col.count,
            xRow,
            xCol,
            dyRow,
            dyCol,
            ciCount,
            coCount,
            dyCol,
          );
        }
      }
    }
  }
  return dW;
}

/** The loops covering cin × cout: pairs of input channels and 16 output channels first, then what is left. */
function filterGradientBlocks(
  simd: SimdExports,
  cin: number,
  cout: number,
): { loop: FilterGradientLoop; ci: number; ciCount: number; co: number; coCount: number }[] {
  const outputs = blockRuns(cout, CHANNEL_VECTORS, 4);
  return blockRuns(cin, FILTER_GRADIENT_ROWS).flatMap((inputs) =>
    outputs.map((o) => ({
      loop: simd[`dw${inputs.size}x${o.size}`],
      ci: inputs.start,
      ciCount: inputs.count,
      co: o.start,
      coCount: o.count,
    })),
  );
}

/** dy [N, H, W, C] → [H, W, N, C]: whole rows of C in SIMD when C allows, else the package's Transpose. */
function toHWNC(backend: BackendWasm, dy: TensorInfo): TensorInfo {
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const simd = c % 4 === 0 && n * h * w * c > 0 && dy.dtype === 'float32' ? simdFor(backend) : null;
  if (!simd) return transpose(backend, dy, [1, 2, 0, 3]);
  const out = backend.makeOutput([h, w, n, c], 'float32');
  simd.rows(addressOf(backend, dy), n, h * w, c, addressOf(backend, out));
  return out;
}

/** x [N, H, W, C] → [C, H, W, N]: SIMD 4 × 4 blocks when N and C allow, else the package's Transpose. */
function toCHWN(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const simd = n % 4 === 0 && c % 4 === 0 && x.dtype === 'float32' ? simdFor(backend) : null;
  if (!simd) return transpose(backend, x, [3, 1, 2, 0]);
  const out = backend.makeOutput([c, h, w, n], 'float32');
  simd.swap(addressOf(backend, x), n, h * w, c, addressOf(backend, out));
  return out;
}
