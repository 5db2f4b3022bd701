import { F64, I32, op, SIMD, V128, type WasmFunction } from './encoder';

/**
 * The SIMD loops of our WASM module (simd-program.ts assembles and binds them), on the tfjs
 * WASM backend's own heap: column sums (every reduction over the leading axes of an NHWC tensor:
 * batch-norm moments and their gradients), binary ops against a per-channel vector, batch norm's
 * affine map and gradient, ReLU's gradient, and the filter gradient's transposes. The package does
 * the reductions by transposing the whole tensor, the binary ops with a per-element broadcast
 * index; these stream each element once, four channels at a time. Sums accumulate in float64,
 * as the CPU backend's do, so the results stay within rounding of it. All need C % 4 === 0.
 */

const { get, set, tee, i32, add, mul, ne, loop, end, brIf, simd } = op;

/**
 * Column sums, W channels per pass, accumulated in float64 (the divisor applied once at the end):
 * - colsum{W}(src, rows, C, dst, divisor): dst[c] = Σ_r src[r·C + c] / divisor;
 * - colvar{W}(src, rows, C, dst, divisor, center): Σ_r (src[r·C + c] − center[c])² / divisor;
 * - coldot{W}(src, rows, C, dst, divisor, other, center): Σ_r src[r·C + c]·(other[r·C + c] − center[c]) / divisor.
 * Each element's difference and product are float32, as the separate ops computed them.
 */
function colsum(width: 4 | 16, kind: 'sum' | 'var' | 'dot' = 'sum'): WasmFunction {
  const [src, rows, channels, dst, divisor] = [0, 1, 2, 3, 4];
  const params = kind === 'sum' ? 5 : kind === 'var' ? 6 : 7;
  const center = kind === 'var' ? 5 : 6;
  const other = 5;
  const [cb, p, stop, rowBytes, cp, delta] = [params, params + 1, params + 2, params + 3, params + 4, params + 5];
  const pairs = width / 2;
  const acc = (k: number) => params + 6 + k;
  const pair = (base: number[], k: number) => [...base, ...simd(SIMD.load64Zero, [3, 8 * k])];
  const term = (k: number): number[] => {
    if (kind === 'sum') return pair(get(p), k);
    const centred = [
      ...pair(kind === 'var' ? get(p) : [...get(p), ...get(delta), ...add], k),
      ...pair(get(cp), k),
      ...simd(SIMD.f32x4Sub),
    ];
    return kind === 'var'
      ? [...centred, ...tee(params + 6 + pairs), ...get(params + 6 + pairs), ...simd(SIMD.f32x4Mul)]
      : [...pair(get(p), k), ...centred, ...simd(SIMD.f32x4Mul)];
  };
  const body: number[] = [
    ...get(channels), ...i32(4), ...mul, ...set(rowBytes),
    ...(kind === 'dot' ? [...get(other), ...get(src), ...op.sub, ...set(delta)] : []),
    ...i32(0), ...set(cb),
    ...loop,
    ...Array.from({ length: pairs }, (_, k) => [...op.v128Zero, ...set(acc(k))]).flat(),
    ...(kind === 'sum' ? [] : [...get(center), ...get(cb), ...add, ...set(cp)]),
    ...get(src), ...get(cb), ...add, ...tee(p),
    ...get(rows), ...get(rowBytes), ...mul, ...add, ...set(stop),
    ...loop,
    ...Array.from({ length: pairs }, (_, k) => [
      ...get(acc(k)), ...term(k),
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
    name: kind === 'sum' ? `colsum${width}` : `col${kind}${width}`,
    params: [I32, I32, I32, I32, F64, ...new Array<number>(params - 5).fill(I32)],
    // cb, p, stop, rowBytes, cp, delta; the accumulators; one scratch vector.
    locals: [I32, I32, I32, I32, I32, I32, ...new Array<number>(pairs + 1).fill(V128)],
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

/**
 * `name`(…inputs, out, rows, C): out[r, c] = `value`, four channels at a time, where `value`
 * reads input i with at(i): row r of a whole tensor for the inputs in `rowed`, else a
 * per-channel vector.
 */
function rowMap(
  name: string,
  inputs: number,
  rowed: readonly number[],
  value: (at: (i: number) => number[]) => number[],
): WasmFunction {
  const [out, rows, channels, j, oEnd, rowBytes] = [inputs, inputs + 1, inputs + 2, inputs + 3, inputs + 4, inputs + 5];
  const at = (i: number) => [...get(i), ...get(j), ...add, ...simd(SIMD.load, [4, 0])];
  const body: number[] = [
    ...get(channels), ...i32(4), ...mul, ...set(rowBytes),
    ...get(out), ...get(rows), ...get(rowBytes), ...mul, ...add, ...set(oEnd),
    ...loop,
    ...i32(0), ...set(j),
    ...loop,
    ...get(out), ...get(j), ...add, ...value(at), ...simd(SIMD.store, [4, 0]),
    ...get(j), ...i32(16), ...add, ...tee(j), ...get(rowBytes), ...ne, ...brIf(0),
    ...end,
    ...rowed.flatMap((i) => [...get(i), ...get(rowBytes), ...add, ...set(i)]),
    ...get(out), ...get(rowBytes), ...add, ...tee(out), ...get(oEnd), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return { name, params: new Array<number>(inputs + 3).fill(I32), locals: [I32, I32, I32], body };
}

const [sub4, mul4, add4] = [simd(SIMD.f32x4Sub), simd(SIMD.f32x4Mul), simd(SIMD.f32x4Add)];

/** affine(x, m, k, o, out, rows, C): out[r, c] = (x[r, c] − m[c])·k[c] + o[c] (batch norm). */
const affine = () =>
  rowMap('affine', 4, [0], (at) => [...at(0), ...at(1), ...sub4, ...at(2), ...mul4, ...at(3), ...add4]);

/**
 * bngrad(dy, x, m, k, a, b, out, rows, C): out[r, c] = ((dy[r, c] − b[c]) − (x[r, c] − m[c])·a[c])·k[c]
 * (batch norm's input gradient, with its per-channel factors worked out beforehand).
 */
const bngrad = () =>
  rowMap('bngrad', 6, [0, 1], (at) => [
    ...[...at(0), ...at(5), ...sub4],
    ...[...at(1), ...at(2), ...sub4, ...at(4), ...mul4],
    ...[...sub4, ...at(3), ...mul4],
  ]);

/** relugrad(dy, x, out, n): out[i] = x[i] > 0 ? dy[i] : 0, n a multiple of 4 (ReLU's gradient). */
function relugrad(): WasmFunction {
  const [dy, x, out, n, end_] = [0, 1, 2, 3, 4];
  const body: number[] = [
    ...get(out), ...get(n), ...i32(4), ...mul, ...add, ...set(end_),
    ...loop,
    ...get(out),
    ...get(dy), ...simd(SIMD.load, [4, 0]),
    ...get(x), ...simd(SIMD.load, [4, 0]), ...op.v128Zero, ...simd(SIMD.f32x4Gt),
    ...simd(SIMD.v128And),
    ...simd(SIMD.store, [4, 0]),
    ...get(dy), ...i32(16), ...add, ...set(dy),
    ...get(x), ...i32(16), ...add, ...set(x),
    ...get(out), ...i32(16), ...add, ...tee(out), ...get(end_), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return { name: 'relugrad', params: [I32, I32, I32, I32], locals: [I32], body };
}

/**
 * rows(src, A, M, B, dst): [A, M, B] → [M, A, B], B a multiple of 4: rows of B values moved
 * whole (the filter gradient's dy, [N, OH·OW, C] → [OH·OW, N, C]).
 */
function rows(): WasmFunction {
  const [src, a, m, b, dst, mi, ai, sp, k, rowBytes, strideA] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const body: number[] = [
    ...get(b), ...i32(4), ...mul, ...set(rowBytes),
    ...get(m), ...get(rowBytes), ...mul, ...set(strideA),
    ...i32(0), ...set(mi),
    ...loop,
    ...get(src), ...get(mi), ...get(rowBytes), ...mul, ...add, ...set(sp),
    ...i32(0), ...set(ai),
    ...loop,
    ...i32(0), ...set(k),
    ...loop,
    ...get(dst), ...get(k), ...add,
    ...get(sp), ...get(k), ...add, ...simd(SIMD.load, [4, 0]),
    ...simd(SIMD.store, [4, 0]),
    ...get(k), ...i32(16), ...add, ...tee(k), ...get(rowBytes), ...ne, ...brIf(0),
    ...end,
    ...get(dst), ...get(rowBytes), ...add, ...set(dst),
    ...get(sp), ...get(strideA), ...add, ...set(sp),
    ...get(ai), ...i32(1), ...add, ...tee(ai), ...get(a), ...ne, ...brIf(0),
    ...end,
    ...get(mi), ...i32(1), ...add, ...tee(mi), ...get(m), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return { name: 'rows', params: [I32, I32, I32, I32, I32], locals: new Array<number>(6).fill(I32), body };
}

const BYTES = (from: number) => [from, from + 1, from + 2, from + 3];
/** Interleave 32-bit lanes 0,1 (LO) or 2,3 (HI) of two vectors; then 64-bit halves. */
const LO32 = [...BYTES(0), ...BYTES(16), ...BYTES(4), ...BYTES(20)];
const HI32 = [...BYTES(8), ...BYTES(24), ...BYTES(12), ...BYTES(28)];
const LO64 = [...BYTES(0), ...BYTES(4), ...BYTES(16), ...BYTES(20)];
const HI64 = [...BYTES(8), ...BYTES(12), ...BYTES(24), ...BYTES(28)];

/**
 * swap(src, A, M, B, dst): [A, M, B] → [B, M, A] (A, B multiples of 4), in 4 × 4 blocks turned
 * with shuffles. The filter gradient's NHWC → CHWN transpose, which the package's generic
 * Transpose does at a quarter of the memory's speed.
 */
function swap(): WasmFunction {
  const [src, a, m, b, dst, mi, ai, bi, sp, dp, rowA, rowB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const r = (k: number) => 12 + k;
  const t = (k: number) => 16 + k;
  const step = (base: number, stride: number, k: number) =>
    k === 0 ? get(base) : [...get(base), ...get(stride), ...i32(k), ...mul, ...add];
  const body: number[] = [
    ...get(m), ...get(b), ...mul, ...i32(4), ...mul, ...set(rowA),
    ...get(m), ...get(a), ...mul, ...i32(4), ...mul, ...set(rowB),
    ...i32(0), ...set(mi),
    ...loop,
    ...i32(0), ...set(ai),
    ...loop,
    ...i32(0), ...set(bi),
    ...loop,
    ...get(src), ...get(ai), ...get(m), ...mul, ...get(mi), ...add, ...get(b), ...mul, ...get(bi), ...add,
    ...i32(4), ...mul, ...add, ...set(sp),
    ...get(dst), ...get(bi), ...get(m), ...mul, ...get(mi), ...add, ...get(a), ...mul, ...get(ai), ...add,
    ...i32(4), ...mul, ...add, ...set(dp),
    ...[0, 1, 2, 3].flatMap((k) => [...step(sp, rowA, k), ...simd(SIMD.load, [4, 0]), ...set(r(k))]),
    ...get(r(0)), ...get(r(1)), ...op.shuffle(LO32), ...set(t(0)),
    ...get(r(0)), ...get(r(1)), ...op.shuffle(HI32), ...set(t(1)),
    ...get(r(2)), ...get(r(3)), ...op.shuffle(LO32), ...set(t(2)),
    ...get(r(2)), ...get(r(3)), ...op.shuffle(HI32), ...set(t(3)),
    ...step(dp, rowB, 0), ...get(t(0)), ...get(t(2)), ...op.shuffle(LO64), ...simd(SIMD.store, [4, 0]),
    ...step(dp, rowB, 1), ...get(t(0)), ...get(t(2)), ...op.shuffle(HI64), ...simd(SIMD.store, [4, 0]),
    ...step(dp, rowB, 2), ...get(t(1)), ...get(t(3)), ...op.shuffle(LO64), ...simd(SIMD.store, [4, 0]),
    ...step(dp, rowB, 3), ...get(t(1)), ...get(t(3)), ...op.shuffle(HI64), ...simd(SIMD.store, [4, 0]),
    ...get(bi), ...i32(4), ...add, ...tee(bi), ...get(b), ...ne, ...brIf(0),
    ...end,
    ...get(ai), ...i32(4), ...add, ...tee(ai), ...get(a), ...ne, ...brIf(0),
    ...end,
    ...get(mi), ...i32(1), ...add, ...tee(mi), ...get(m), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return {
    name: 'swap',
    params: [I32, I32, I32, I32, I32],
    locals: [...new Array<number>(7).fill(I32), ...new Array<number>(8).fill(V128)],
    body,
  };
}

export const SIMD_FUNCTIONS: readonly WasmFunction[] = [
  colsum(16),
  colsum(4),
  colsum(16, 'var'),
  colsum(4, 'var'),
  colsum(16, 'dot'),
  colsum(4, 'dot'),
  bngrad(),
  broadcast('mul', SIMD.f32x4Mul, false),
  broadcast('add', SIMD.f32x4Add, false),
  broadcast('sub', SIMD.f32x4Sub, false),
  broadcast('rsub', SIMD.f32x4Sub, true),
  broadcast('div', SIMD.f32x4Div, false),
  broadcast('rdiv', SIMD.f32x4Div, true),
  affine(),
  swap(),
  relugrad(),
  rows(),
];
