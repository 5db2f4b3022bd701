import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  CONVOLUTION_FUNCTIONS,
  FILTER_GRADIENT_FUNCTIONS,
  type ConvolutionName,
  type FilterGradientName,
} from './simd-conv';
import { SIMD_FUNCTIONS } from './simd-loops';
import { assemble } from './encoder';

/*
 * Our SIMD loops (simd-loops.ts, simd-conv.ts) as one module, compiled once and bound to each
 * tfjs WASM backend's memory.
 */

type Fn5 = (a: number, b: number, c: number, d: number, e: number) => void;
type Fn6 = (a: number, b: number, c: number, d: number, e: number, f: number) => void;
type Fn7 = (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
/** simd-conv.ts' filter-gradient loops: (x, dy, dst, rows, cols, xRow, xCol, dyRow, dyCol, ciCount, coCount, dstRow). */
export type FilterGradientLoop = (
  ...args: [number, number, number, number, number, number, number, number, number, number, number, number]
) => void;
/** simd-conv.ts' convolution loops: 21 addresses, counts and strides, then the floor. */
export type ConvolutionLoop = (...args: number[]) => void;
export interface SimdExports
  extends Readonly<Record<FilterGradientName, FilterGradientLoop>>, Readonly<Record<ConvolutionName, ConvolutionLoop>> {
  readonly colsum16: Fn5;
  readonly colsum4: Fn5;
  readonly colvar16: Fn6;
  readonly colvar4: Fn6;
  readonly coldot16: Fn7;
  readonly coldot4: Fn7;
  readonly bngrad: (
    dy: number,
    x: number,
    m: number,
    k: number,
    a: number,
    b: number,
    out: number,
    rows: number,
    c: number,
  ) => void;
  readonly mul: Fn5;
  readonly add: Fn5;
  readonly sub: Fn5;
  readonly rsub: Fn5;
  readonly div: Fn5;
  readonly rdiv: Fn5;
  readonly swap: Fn5;
  readonly rows: Fn5;
  readonly relugrad: (dy: number, x: number, out: number, n: number) => void;
  readonly affine: (x: number, m: number, k: number, o: number, out: number, rows: number, c: number) => void;
}

/** The module compiled for a plain and for a shared (threaded build's) memory. */
const compiled = new Map<boolean, WebAssembly.Module | null>();
const instances = new WeakMap<WebAssembly.Memory, SimdExports>();

/** The module's exports bound to `backend`'s memory; null where WASM SIMD or that memory is missing. */
export function simdFor(backend: BackendWasm): SimdExports | null {
  // The single-threaded builds export their memory; the threaded one imports it (wasmMemory).
  const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  // Called for every kernel of a step: the bound exports first, compiling only the first time.
  const bound = instances.get(memory);
  if (bound) return bound;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  if (!compiled.has(shared)) {
    const bytes = assemble([...SIMD_FUNCTIONS, ...FILTER_GRADIENT_FUNCTIONS, ...CONVOLUTION_FUNCTIONS], shared);
    compiled.set(shared, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  const program = compiled.get(shared);
  if (!program) return null;
  const exports = new WebAssembly.Instance(program, { env: { memory } }).exports as unknown as SimdExports;
  instances.set(memory, exports);
  return exports;
}

/** A tensor's byte address in the backend's heap. */
export function addressOf(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WASM backend');
  return data.memoryOffset;
}
