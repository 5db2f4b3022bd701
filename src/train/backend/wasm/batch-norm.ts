import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addressOf, simdFor } from './simd-program';

/**
 * Batch norm's training passes on WASM, for the op in src/train/model/ops/batch-norm.ts, over
 * every axis but the last (channels):
 * - moments: the mean, then the (biased) variance around it: two reading passes;
 * - the gradient: Σdy and Σdy·(x − μ) in one reading pass each, then dx in one pass.
 * The composite ops did 11 passes for the same, most of them writing a whole tensor. SIMD loops
 * (simd-program.ts) where the channels are a multiple of 4, plain loops otherwise; sums in
 * float64 either way.
 */

const heap = (backend: BackendWasm, t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

/** Rows and channels of a channels-last tensor. */
const split = (x: TensorInfo): [number, number] => {
  const channels = x.shape[x.shape.length - 1] as number;
  return [util.sizeFromShape(x.shape) / Math.max(channels, 1), channels];
};

/** dst[c] = Σ_r f(r, c) / divisor, in float64. */
function columnSums(
  rows: number,
  channels: number,
  divisor: number,
  f: (i: number, c: number) => number,
): Float64Array {
  const sums = new Float64Array(channels);
  for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < channels; c++, i++) sums[c]! += f(i, c);
  return sums.map((v) => v / divisor);
}

/** { x } → [mean, variance], each [C]. */
export const batchNormMoments: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const x = inputs['x'] as TensorInfo;
  const [rows, channels] = split(x);
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  const simd = channels % 4 === 0 && rows > 0 ? simdFor(wasm) : null;
  if (simd) {
    const at = (t: TensorInfo) => addressOf(wasm, t);
    (channels % 16 === 0 ? simd.colsum16 : simd.colsum4)(at(x), rows, channels, at(mean), rows);
    (channels % 16 === 0 ? simd.colvar16 : simd.colvar4)(at(x), rows, channels, at(variance), rows, at(mean));
    return [mean, variance];
  }
  const xs = heap(wasm, x);
  const m = Float32Array.from(columnSums(rows, channels, rows, (i) => xs[i] as number));
  heap(wasm, mean).set(m);
  heap(wasm, variance).set(
    columnSums(rows, channels, rows, (i, c) => Math.fround((xs[i] as number) - (m[c] as number)) ** 2),
  );
  return [mean, variance];
};

/**
 * { dy, x, mean, rstd, gamma } → [dx, dγ, dβ], with x̂ = (x − μ)·rstd and N values per channel:
 *   dβ = Σdy,  dγ = rstd·Σdy·(x − μ),  dx = γ·rstd·(dy − dβ/N − (x − μ)·rstd·dγ/N).
 */
export const batchNormGrad: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { dy, x, mean, rstd, gamma } = inputs as Record<'dy' | 'x' | 'mean' | 'rstd' | 'gamma', TensorInfo>;
  const [rows, channels] = split(x);
  // Every output first: an allocation may grow the memory, which detaches earlier views of it.
  const dBeta = wasm.makeOutput([channels], 'float32');
  const dot = wasm.makeOutput([channels], 'float32');
  const dGamma = wasm.makeOutput([channels], 'float32');
  const factors = [0, 1, 2].map(() => wasm.makeOutput([channels], 'float32'));
  const dx = wasm.makeOutput([...x.shape], 'float32');
  const simd = channels % 4 === 0 && rows > 0 ? simdFor(wasm) : null;
  const at = (t: TensorInfo) => addressOf(wasm, t);
  const dys = heap(wasm, dy);
  const xs = heap(wasm, x);
  const ms = heap(wasm, mean);
  if (simd) {
    (channels % 16 === 0 ? simd.colsum16 : simd.colsum4)(at(dy), rows, channels, at(dBeta), 1);
    (channels % 16 === 0 ? simd.coldot16 : simd.coldot4)(at(dy), rows, channels, at(dot), 1, at(x), at(mean));
  } else {
    heap(wasm, dBeta).set(columnSums(rows, channels, 1, (i) => dys[i] as number));
    heap(wasm, dot).set(
      columnSums(rows, channels, 1, (i, c) =>
        Math.fround((dys[i] as number) * Math.fround((xs[i] as number) - (ms[c] as number))),
      ),
    );
  }
  const r = heap(wasm, rstd);
  const g = heap(wasm, gamma);
  const [k, a, b] = factors.map((t) => heap(wasm, t)) as [Float32Array, Float32Array, Float32Array];
  const dGammas = heap(wasm, dGamma);
  const sums = heap(wasm, dBeta);
  const dots = heap(wasm, dot);
  for (let c = 0; c < channels; c++) {
    const rc = r[c] as number;
    dGammas[c] = rc * (dots[c] as number);
    k[c] = (g[c] as number) * rc;
    a[c] = (rc * (dGammas[c] as number)) / rows;
    b[c] = (sums[c] as number) / rows;
  }
  if (simd) {
    const [kt, av, bv] = factors as [TensorInfo, TensorInfo, TensorInfo];
    simd.bngrad(at(dy), at(x), at(mean), at(kt), at(av), at(bv), at(dx), rows, channels);
  } else {
    const out = heap(wasm, dx);
    for (let row = 0, i = 0; row < rows; row++)
      for (let c = 0; c < channels; c++, i++) {
        const centred = Math.fround((xs[i] as number) - (ms[c] as number));
        out[i] = ((dys[i] as number) - (b[c] as number) - centred * (a[c] as number)) * (k[c] as number);
      }
  }
  for (const t of [dot, ...factors]) wasm.disposeData(t.dataId);
  return [dx, dGamma, dBeta];
};
