import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addressOf, simdFor } from './simd-program';

/**
 * Sum, Mean, the four arithmetic ops and FusedBatchNorm for the WASM backend, in the shapes a
 * channels-last convnet's training step makes of them thousands of times: reductions over every
 * axis but the channels, and a tensor against a per-channel vector or one of its own shape. Those run as the SIMD loops
 * of simd-program.ts; every other case goes to the package's kernel.
 */

const float = (...infos: readonly TensorInfo[]) => infos.every((t) => t.dtype === 'float32');

/** Rows × channels when `axes` are the leading axes of `shape` (and something is left). */
function leadingSplit(shape: readonly number[], axes: readonly number[]): [number, number] | null {
  const sorted = [...axes].sort((a, b) => a - b);
  if (!sorted.length || sorted.some((a, i) => a !== i) || sorted.length >= shape.length) return null;
  const rows = util.sizeFromShape(shape.slice(0, sorted.length));
  const channels = util.sizeFromShape(shape.slice(sorted.length));
  return rows > 0 && channels % 4 === 0 && channels > 0 ? [rows, channels] : null;
}

function makeReduce(original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const backend = args.backend as BackendWasm;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = util.parseAxisParam(axis, x.shape);
    const split = float(x) ? leadingSplit(x.shape, axes) : null;
    const simd = split && simdFor(backend);
    if (!split || !simd) return original(args);
    const [rows, channels] = split;
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const sum = channels % 16 === 0 ? simd.colsum16 : simd.colsum4;
    sum(addressOf(backend, x), rows, channels, addressOf(backend, out), mean ? rows : 1);
    return out;
  };
}

export const makeSum = (original: KernelFunc) => makeReduce(original, false);
export const makeMean = (original: KernelFunc) => makeReduce(original, true);

type Binary = 'mul' | 'add' | 'sub' | 'div';
const REVERSED: Record<Binary, Binary | 'rsub' | 'rdiv'> = {
  mul: 'mul',
  add: 'add',
  sub: 'rsub',
  div: 'rdiv',
};

/** Whether `v` is a per-channel vector of `full` ([C] or [1, …, 1, C]) and `full` the result's shape. */
function perChannel(full: readonly number[], v: readonly number[]): boolean {
  const channels = full[full.length - 1];
  return (
    full.length >= 2 &&
    v.length <= full.length &&
    v[v.length - 1] === channels &&
    v.slice(0, -1).every((d) => d === 1) &&
    util.sizeFromShape([...full]) > 0 &&
    (channels as number) % 4 === 0
  );
}

export function makeBinary(original: KernelFunc, kind: Binary): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const backend = args.backend as BackendWasm;
    const size = util.sizeFromShape(a.shape);
    // Same shapes are one row of `size` channels.
    const same = float(a, b) && util.arraysEqual(a.shape, b.shape) && size > 0 && size % 4 === 0;
    const aFull = same || (float(a, b) && perChannel(a.shape, b.shape));
    const bFull = !aFull && float(a, b) && perChannel(b.shape, a.shape);
    const simd = (aFull || bFull) && simdFor(backend);
    if (!simd) return original(args);
    const [full, vector] = aFull ? [a, b] : [b, a];
    const channels = same ? size : (full.shape[full.shape.length - 1] as number);
    const out = backend.makeOutput([...full.shape], 'float32');
    const fn = simd[aFull ? kind : REVERSED[kind]];
    const rows = util.sizeFromShape(full.shape) / channels;
    fn(addressOf(backend, full), addressOf(backend, vector), addressOf(backend, out), rows, channels);
    return out;
  };
}

/**
 * FusedBatchNorm with per-channel statistics: out = offset + (x − mean)·k, where
 * k = scale / √(variance + ε) is computed once per channel in float64.
 */
export function makeBatchNorm(original: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as Record<'x' | 'mean' | 'variance' | 'offset' | 'scale', TensorInfo | undefined>;
    const { x, mean, variance } = inputs as { x: TensorInfo; mean: TensorInfo; variance: TensorInfo };
    const backend = args.backend as BackendWasm;
    const { varianceEpsilon } = args.attrs as unknown as { varianceEpsilon: number };
    const channels = x.shape[x.shape.length - 1] as number;
    const stats = [mean, variance, inputs.offset, inputs.scale].filter((t): t is TensorInfo => t !== undefined);
    const fits =
      float(x, ...stats) &&
      stats.every((t) => util.sizeFromShape(t.shape) === channels && perChannel(x.shape, t.shape));
    const simd = fits && simdFor(backend);
    if (!simd) return original(args);
    const out = backend.makeOutput([...x.shape], 'float32');
    const k = backend.makeOutput([channels], 'float32');
    const o = inputs.offset ? null : backend.makeOutput([channels], 'float32');
    const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    const variances = heap(variance);
    const scales = inputs.scale ? heap(inputs.scale) : null;
    const kv = heap(k);
    for (let c = 0; c < channels; c++) {
      kv[c] = (scales ? (scales[c] as number) : 1) / Math.sqrt((variances[c] as number) + varianceEpsilon);
    }
    if (o) heap(o).fill(0);
    const offset = inputs.offset ?? (o as TensorInfo);
    const at = (t: TensorInfo) => addressOf(backend, t);
    simd.affine(at(x), at(mean), at(k), at(offset), at(out), util.sizeFromShape(x.shape) / channels, channels);
    backend.disposeData(k.dataId);
    if (o) backend.disposeData(o.dataId);
    return out;
  };
}
