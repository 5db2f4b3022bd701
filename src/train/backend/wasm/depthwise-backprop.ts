import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, zeros } from './kernel-utils';

/**
 * Depthwise convolution gradients (NHWC, filter [kH, kW, C, multiplier]) as loops over the WASM
 * heap. A depthwise layer does 1/C of a regular one's work, so plain loops cost little next to
 * the network's GEMMs; the input gradient with multiplier 1 goes through XNNPACK instead
 * (backprop-input.ts). Both visit the same (n, oh, ow, tap) tuples as the forward pass:
 *   x index = (oh·s + kh·d − top, ow·s + kw·d − left), output channel c·m + q reads input c.
 */

interface Visit {
  /** Offset of x[n, ih, iw, 0], dy[n, oh, ow, 0] and dW[kh, kw, 0, 0]. */
  (xBase: number, dyBase: number, wBase: number): void;
}

function forEachTap(info: backend_util.Conv2DInfo, visit: Visit): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let a = 0; a < kh; a++) {
        const ih = oh * sh + a * dh - top;
        if (ih < 0 || ih >= inHeight) continue;
        for (let ow = 0; ow < outWidth; ow++) {
          const dyBase = ((n * outHeight + oh) * outWidth + ow) * outChannels;
          for (let b = 0; b < kw; b++) {
            const iw = ow * sw + b * dw - left;
            if (iw < 0 || iw >= inWidth) continue;
            visit(((n * inHeight + ih) * inWidth + iw) * inChannels, dyBase, (a * kw + b) * outChannels);
          }
        }
      }
    }
  }
}

/** dW[kh, kw, c, q] = Σ x[n, ih, iw, c] · dy[n, oh, ow, c·m + q], summed in float64 like the CPU backend. */
export function depthwiseBackpropFilterNHWC(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { inChannels: ch, outChannels } = info;
  const m = outChannels / ch;
  const sums = new Float64Array(info.filterHeight * info.filterWidth * outChannels);
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  forEachTap(info, (xBase, dyBase, wBase) => {
    for (let c = 0; c < ch; c++) {
      const v = xs[xBase + c] as number;
      for (let q = 0; q < m; q++) {
        const j = c * m + q;
        sums[wBase + j] = (sums[wBase + j] as number) + v * (dys[dyBase + j] as number);
      }
    }
  });
  const dW = backend.makeOutput([info.filterHeight, info.filterWidth, ch, m], 'float32');
  heapF32(backend, dW).set(sums);
  return dW;
}

/** dx[n, ih, iw, c] = Σ dy[n, oh, ow, c·m + q] · w[kh, kw, c, q]: the general case (any multiplier). */
export function depthwiseBackpropInputNHWC(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { inChannels: ch, outChannels } = info;
  const m = outChannels / ch;
  const dx = zeros(backend, [info.batchSize, info.inHeight, info.inWidth, ch]);
  const dxs = heapF32(backend, dx);
  const dys = heapF32(backend, dy);
  const ws = heapF32(backend, filter);
  forEachTap(info, (xBase, dyBase, wBase) => {
    for (let c = 0; c < ch; c++) {
      let sum = 0;
      for (let q = 0; q < m; q++) {
        const j = c * m + q;
        sum += (dys[dyBase + j] as number) * (ws[wBase + j] as number);
      }
      dxs[xBase + c] = (dxs[xBase + c] as number) + sum;
    }
  });
  return dx;
}
