import { I32, op, SIMD, V128, type WasmFunction } from './wasm-encoder';

/**
 * The filter gradient's inner loop, a register-blocked product on the NHWC tensors as they are
 * (no transposes, no packing): for one kernel tap and one image,
 *
 *   dst[ci, co] += Σ_{r < rows, c < cols} x[r·xRow + c·xCol + ci] · dy[r·dyRow + c·dyCol + co]
 *
 * (byte strides; x and dy already point at the tap's first valid position). A block of R input
 * channels × 4V output channels stays in R·V vector registers over the whole run of positions,
 * so each position costs V loads of dy, R splats of x and R·V multiply-adds, and the image's x and
 * dy stay in cache across the blocks. tfjs' path for the same sum (a convolution with dy as the
 * filter) transposes and packs that "filter" on every call, which took 2 to 3 times as long.
 *
 * dw{R}x{V}(x, dy, dst, rows, cols, xRow, xCol, dyRow, dyCol, ciCount, coCount, dstRow):
 * ciCount a multiple of R, coCount of 4V, rows and cols at least 1.
 */
export function filterGradientLoop(r: number, v: number): WasmFunction {
  const { get, set, tee, i32, add, mul, ne, loop, end, brIf, simd } = op;
  const [x, dy, dst, rows, cols, xRow, xCol, dyRow, dyCol, ciCount, coCount, dstRow] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const [ci, co, rowsLeft, colsLeft, px, pd, xr, dr, out] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const acc = (i: number, j: number) => 21 + i * v + j;
  const dyVec = (j: number) => 21 + r * v + j;
  const xSplat = (i: number) => 21 + r * v + v + i;
  const each = (f: (i: number, j: number) => number[]) =>
    Array.from({ length: r }, (_, i) => Array.from({ length: v }, (_, j) => f(i, j)).flat()).flat();
  // Row i of the block in dst: out + i·dstRow.
  const dstRowAt = (i: number) => (i ? [...get(out), ...get(dstRow), ...i32(i), ...mul, ...add] : get(out));
  const body: number[] = [
    ...i32(0), ...set(ci),
    ...loop,
    ...i32(0), ...set(co),
    ...loop,
    ...get(dst), ...get(ci), ...get(dstRow), ...mul, ...add, ...get(co), ...i32(4), ...mul, ...add, ...set(out),
    ...each((i, j) => [...dstRowAt(i), ...simd(SIMD.load, [4, j * 16]), ...set(acc(i, j))]),
    ...get(x), ...get(ci), ...i32(4), ...mul, ...add, ...set(xr),
    ...get(dy), ...get(co), ...i32(4), ...mul, ...add, ...set(dr),
    ...get(rows), ...set(rowsLeft),
    ...loop,
    ...get(xr), ...set(px), ...get(dr), ...set(pd), ...get(cols), ...set(colsLeft),
    ...loop,
    ...Array.from({ length: v }, (_, j) => [...get(pd), ...simd(SIMD.load, [4, j * 16]), ...set(dyVec(j))]).flat(),
    ...Array.from({ length: r }, (_, i) => [...get(px), ...simd(SIMD.load32Splat, [2, i * 4]), ...set(xSplat(i))]).flat(),
    ...each((i, j) => [
      ...get(acc(i, j)), ...get(xSplat(i)), ...get(dyVec(j)), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add),
      ...set(acc(i, j)),
    ]),
    ...get(px), ...get(xCol), ...add, ...set(px),
    ...get(pd), ...get(dyCol), ...add, ...set(pd),
    ...get(colsLeft), ...i32(1), ...op.sub, ...tee(colsLeft), ...brIf(0),
    ...end,
    ...get(xr), ...get(xRow), ...add, ...set(xr),
    ...get(dr), ...get(dyRow), ...add, ...set(dr),
    ...get(rowsLeft), ...i32(1), ...op.sub, ...tee(rowsLeft), ...brIf(0),
    ...end,
    ...each((i, j) => [...dstRowAt(i), ...get(acc(i, j)), ...simd(SIMD.store, [4, j * 16])]),
    ...get(co), ...i32(4 * v), ...add, ...tee(co), ...get(coCount), ...ne, ...brIf(0),
    ...end,
    ...get(ci), ...i32(r), ...add, ...tee(ci), ...get(ciCount), ...ne, ...brIf(0),
    ...end,
  ]; // prettier-ignore
  return {
    name: `dw${r}x${v}`,
    params: new Array<number>(12).fill(I32),
    locals: [...new Array<number>(9).fill(I32), ...new Array<number>(r * v + v + r).fill(V128)],
    body,
  };
}

/** Input channels per block: R, then 1 for an odd remainder. */
export const FILTER_GRADIENT_ROWS = [2, 1] as const;
/** Output vectors per block: 4 (16 channels), then what is left of a multiple of 4. */
export const FILTER_GRADIENT_VECTORS = [4, 3, 2, 1] as const;

export type FilterGradientName =
  `dw${(typeof FILTER_GRADIENT_ROWS)[number]}x${(typeof FILTER_GRADIENT_VECTORS)[number]}`;

export const FILTER_GRADIENT_FUNCTIONS: readonly WasmFunction[] = FILTER_GRADIENT_ROWS.flatMap((r) =>
  FILTER_GRADIENT_VECTORS.map((v) => filterGradientLoop(r, v)),
);
