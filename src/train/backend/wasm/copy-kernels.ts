import { backend_util, slice_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Slice, SplitV and Tile for the WASM backend as block copies on its heap. The package's Slice first
 * copies the whole input out of the heap (`readSync`) and above rank 4 walks it element by element
 * (a 6-D slice of 1M floats: 75 ms); its Tile computes an index per element (41 ms to broadcast
 * a 16-vector to 64×32×32×16, which every batch-norm gradient does). Both move the same bytes
 * here as contiguous runs (`TypedArray.set`, `copyWithin`), about 1 ms for 1M floats.
 */

type Heap = Float32Array | Int32Array | Uint8Array;

const heap = (backend: BackendWasm, info: TensorInfo) => backend.typedArrayFromHeap(info) as Heap;

/**
 * Copies the box begin…begin+size of `src` (shape `shape`) into `dst`, row by row. Trailing axes
 * taken whole merge into one run, so a slice that keeps the channels copies C·W floats at a time.
 */
export function copyBox(
  src: Heap,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: Heap,
): void {
  const rank = shape.length;
  let runAxis = rank - 1;
  while (runAxis > 0 && size[runAxis] === shape[runAxis]) runAxis--;
  const strides = [...util.computeStrides([...shape]), 1];
  const run = (size[runAxis] as number) * (strides[runAxis] as number);
  const index = new Array<number>(runAxis).fill(0);
  const base = begin.reduce((s, b, i) => s + b * (strides[i] as number), 0);
  const rows = size.slice(0, runAxis).reduce((p, s) => p * s, 1);
  let out = 0;
  for (let row = 0; row < rows; row++) {
    let offset = base;
    for (let a = 0; a < runAxis; a++) offset += (index[a] as number) * (strides[a] as number);
    dst.set(src.subarray(offset, offset + run), out);
    out += run;
    for (let a = runAxis - 1; a >= 0; a--) {
      index[a] = (index[a] as number) + 1;
      if ((index[a] as number) < (size[a] as number)) break;
      index[a] = 0;
    }
  }
}

export function makeSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    const backend = args.backend as BackendWasm;
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [from, extent] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    const out = backend.makeOutput(extent, x.dtype);
    if (util.sizeFromShape(extent) > 0) copyBox(heap(backend, x), x.shape, from, extent, heap(backend, out));
    return out;
  };
}

/**
 * SplitV as one block copy per piece: the package calls its Slice for each, which copies the
 * whole input out of the heap every time (the optimizer splits its 270K-float vector into 65
 * parameters each step: 27 ms).
 */
export function makeSplitV(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    const backend = args.backend as BackendWasm;
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const along = util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, along);
    const begin = x.shape.map(() => 0);
    return sizes.map((size) => {
      const extent = x.shape.map((s, i) => (i === along ? size : s));
      const out = backend.makeOutput(extent, x.dtype);
      if (util.sizeFromShape(extent) > 0) copyBox(heap(backend, x), x.shape, begin, extent, heap(backend, out));
      begin[along] = (begin[along] as number) + size;
      return out;
    });
  };
}

/** Repeats `block` elements at the start of `dst` until `total` are filled (doubling copies). */
function repeatBlock(dst: Heap, start: number, block: number, total: number): void {
  let filled = block;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

/**
 * Tile: axis by axis from the outside in, each source slab is written once at its place and then
 * repeated `reps[axis]` times in place.
 */
function tileInto(src: Heap, shape: readonly number[], reps: readonly number[], dst: Heap): void {
  const rank = shape.length;
  const srcStrides = [...util.computeStrides([...shape]), 1];
  const outShape = shape.map((s, i) => s * (reps[i] as number));
  const dstStrides = [...util.computeStrides(outShape), 1];
  const fill = (axis: number, from: number, to: number): void => {
    const n = shape[axis] as number;
    const r = reps[axis] as number;
    if (axis === rank - 1) {
      dst.set(src.subarray(from, from + n), to);
    } else {
      for (let i = 0; i < n; i++) {
        fill(axis + 1, from + i * (srcStrides[axis] as number), to + i * (dstStrides[axis] as number));
      }
    }
    const block = n * (dstStrides[axis] as number);
    repeatBlock(dst, to, block, block * r);
  };
  fill(0, 0, 0);
}

export function makeTile(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0) return original(args);
    const backend = args.backend as BackendWasm;
    const { reps } = args.attrs as unknown as { reps: number[] };
    const outShape = x.shape.map((s, i) => s * (reps[i] as number));
    const out = backend.makeOutput(outShape, x.dtype);
    if (util.sizeFromShape(outShape) > 0) tileInto(heap(backend, x), x.shape, reps, heap(backend, out));
    return out;
  };
}

/**
 * Identity, and Cast to the same dtype, as a new reference to the same buffer (as the CPU
 * backend does): the package copies the tensor, and a training step makes hundreds of them.
 */
export function makeAlias(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = (args.attrs ?? {}) as { dtype?: string };
    if (x.dtype === 'string' || (dtype !== undefined && dtype !== x.dtype)) return original(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
