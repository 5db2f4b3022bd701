import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble, F64, I32, op, SIMD, V128, type WasmFunction } from './wasm-encoder';

/**
 * Channel-wise loops in WASM SIMD, on the tfjs WASM backend's own heap: column sums (every
 * reduction over the leading axes of an NHWC tensor: batch-norm moments and their gradients),
 * binary ops against a per-channel vector, and batch-norm's affine map. The package does the
 * first by transposing the whole tensor, the others with a per-element broadcast index; these
 * stream each element once, four channels at a time. Sums accumulate in float64, as the CPU
 * backend's do, so the results stay within rounding of it. All need C % 4 === 0.
 */

const { get, set, tee, i32, add, mul, ne, loop, end, brIf, simd } = op;

/** colsum{W}(src, rows, C, dst, divisor): dst[c] = Σ_r src[r·C + c] / divisor, W channels per pass. */
function colsum(width: 4 | 16): WasmFunction {
  const [src, rows, channels, dst, divisor, cb, p, stop, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const pairs = width / 2;
  const acc = (k: number) => 9 + k;
  const body: number[] = [
    ...get(channels), ...i32(4), ...mul, ...set(rowBytes),
    ...i32(0), ...set(cb),
    ...loop,
    ...Array.from({ length: pairs }, (_, k) => [...op.v128Zero, ...set(acc(k))]).flat(),
    ...get(src), ...get(cb), ...add, ...tee(p),
    ...get(rows), ...get(rowBytes), ...mul, ...add, ...set(stop),
    ...loop,
    ...Array.from({ length: pairs }, (_, k) => [
      ...get(acc(k)), ...get(p), ...simd(SIMD.load64Zero, [3, 8 * k]),
      ...simd(SIMD.f64x2PromoteLowF32x4), ...simd(SIMD.f64x2Add), ...set(acc(k)),
    ]).flat(),
    ...get(p), ...get(rowBytes), ...add, ...tee(p), ...get(stop), ...ne, ...brIf(0),
    ...end,
    ...Array.from({ length: pairs }, (_, k) => [
      ...get(dst), ...get(cb), ...add,
      ...get(acc(k)), ...get(divisor), ...simd(SIMD.f64x2Splat), ...simd(SIMD.f64x2Div),
      ...simd(SIMD.f32x4DemoteF64x2Zero), ...simd(SIMD.store64Lane, [3, 8 * k]), 0,
    ]).flat(),
    ...get(cb), ...i32(width * 4), ...add, ...tee(cb), ...get(rowBytes), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return {
    name: `colsum${width}`,
    params: [I32, I32, I32, I32, F64],
    locals: [I32, I32, I32, I32, ...new Array<number>(pairs).fill(V128)],
    body,
  };
}

/** `name`(a, b, out, rows, C): out[r, c] = a[r, c] ∘ b[c] (or b[c] ∘ a[r, c] when `reversed`). */
function broadcast(name: string, code: number, reversed: boolean): WasmFunction {
  const [a, b, out, rows, channels, pb, bEnd, oEnd] = [0, 1, 2, 3, 4, 5, 6, 7];
  const loadA = [...get(a), ...simd(SIMD.load, [4, 0])];
  const loadB = [...get(pb), ...simd(SIMD.load, [4, 0])];
  const body: number[] = [
    ...get(b), ...get(channels), ...i32(4), ...mul, ...add, ...set(bEnd),
    ...get(out), ...get(rows), ...get(channels), ...mul, ...i32(4), ...mul, ...add, ...set(oEnd),
    ...loop,
    ...get(b), ...set(pb),
    ...loop,
    ...get(out),
    ...(reversed ? [...loadB, ...loadA] : [...loadA, ...loadB]), ...simd(code),
    ...simd(SIMD.store, [4, 0]),
    ...get(a), ...i32(16), ...add, ...set(a),
    ...get(out), ...i32(16), ...add, ...set(out),
    ...get(pb), ...i32(16), ...add, ...tee(pb), ...get(bEnd), ...ne, ...brIf(0),
    ...end,
    ...get(out), ...get(oEnd), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return { name, params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32], body };
}

/** affine(x, m, k, o, out, rows, C): out[r, c] = (x[r, c] − m[c])·k[c] + o[c] (batch norm). */
function affine(): WasmFunction {
  const [x, m, k, o, out, rows, channels, j, oEnd, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const at = (base: number) => [...get(base), ...get(j), ...add, ...simd(SIMD.load, [4, 0])];
  const body: number[] = [
    ...get(channels), ...i32(4), ...mul, ...set(rowBytes),
    ...get(out), ...get(rows), ...get(rowBytes), ...mul, ...add, ...set(oEnd),
    ...loop,
    ...i32(0), ...set(j),
    ...loop,
    ...get(out), ...get(j), ...add,
    ...at(x), ...at(m), ...simd(SIMD.f32x4Sub), ...at(k), ...simd(SIMD.f32x4Mul),
    ...at(o), ...simd(SIMD.f32x4Add),
    ...simd(SIMD.store, [4, 0]),
    ...get(j), ...i32(16), ...add, ...tee(j), ...get(rowBytes), ...ne, ...brIf(0),
    ...end,
    ...get(x), ...get(rowBytes), ...add, ...set(x),
    ...get(out), ...get(rowBytes), ...add, ...tee(out), ...get(oEnd), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return { name: 'affine', params: new Array<number>(7).fill(I32), locals: [I32, I32, I32], body };
}

const FUNCTIONS: readonly WasmFunction[] = [
  colsum(16),
  colsum(4),
  broadcast('mul', SIMD.f32x4Mul, false),
  broadcast('add', SIMD.f32x4Add, false),
  broadcast('sub', SIMD.f32x4Sub, false),
  broadcast('rsub', SIMD.f32x4Sub, true),
  broadcast('div', SIMD.f32x4Div, false),
  broadcast('rdiv', SIMD.f32x4Div, true),
  affine(),
];

type Fn5 = (a: number, b: number, c: number, d: number, e: number) => void;
export interface SimdExports {
  readonly colsum16: Fn5;
  readonly colsum4: Fn5;
  readonly mul: Fn5;
  readonly add: Fn5;
  readonly sub: Fn5;
  readonly rsub: Fn5;
  readonly div: Fn5;
  readonly rdiv: Fn5;
  readonly affine: (x: number, m: number, k: number, o: number, out: number, rows: number, c: number) => void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdExports>();

/** The module's exports bound to `backend`'s memory; null where WASM SIMD or that memory is missing. */
export function simdFor(backend: BackendWasm): SimdExports | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (compiled === undefined) {
    const bytes = assemble(FUNCTIONS);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  if (!compiled) return null;
  let exports = instances.get(memory);
  if (!exports) {
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    exports = instance.exports as unknown as SimdExports;
    instances.set(memory, exports);
  }
  return exports;
}

/** A tensor's byte address in the backend's heap. */
export function addressOf(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor is not on the WASM backend');
  return data.memoryOffset;
}
