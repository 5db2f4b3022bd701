import { F32, I32, op, SIMD, V128, type WasmFunction } from './encoder';

const { get, set, tee, i32, add, mul, ne, loop, end, brIf, simd } = op;

/** Decrements `counter` and loops again while it is not zero. */
const countdown = (counter: number) => [...get(counter), ...i32(1), ...op.sub, ...tee(counter), ...brIf(0)];
/** pointer += the value `by` leaves on the stack. */
const advance = (pointer: number, by: number[]) => [...get(pointer), ...by, ...add, ...set(pointer)];

/**
 * R × V vector registers of sums (locals from `base`), V loaded vectors and R splatted scalars:
 * sum[i][j] += scalar[i] · vector[j], the one product both loops below are made of.
 */
function registerBlock(r: number, v: number, base: number) {
  const sum = (i: number, j: number) => base + i * v + j;
  const vector = (j: number) => base + r * v + j;
  const scalar = (i: number) => base + r * v + v + i;
  const each = (f: (i: number, j: number) => number[]) =>
    Array.from({ length: r }, (_, i) => Array.from({ length: v }, (_, j) => f(i, j)).flat()).flat();
  const multiplyAdd = each((i, j) => [
    ...get(sum(i, j)), ...get(scalar(i)), ...get(vector(j)), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add),
    ...set(sum(i, j)),
  ]); // prettier-ignore
  return { sum, vector, scalar, each, multiplyAdd, locals: new Array<number>(r * v + v + r).fill(V128) };
}

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
  const [x, dy, dst, rows, cols, xRow, xCol, dyRow, dyCol, ciCount, coCount, dstRow] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const [ci, co, rowsLeft, colsLeft, px, pd, xr, dr, out] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const { sum: acc, vector: dyVec, scalar: xSplat, each, multiplyAdd, locals } = registerBlock(r, v, 21);
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
    ...multiplyAdd,
    ...advance(px, get(xCol)), ...advance(pd, get(dyCol)),
    ...countdown(colsLeft),
    ...end,
    ...advance(xr, get(xRow)), ...advance(dr, get(dyRow)),
    ...countdown(rowsLeft),
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
    locals: [...new Array<number>(9).fill(I32), ...locals],
    body,
  };
}

/** Input channels per block: R, then 1 for an odd remainder. */
export const FILTER_GRADIENT_ROWS = [2, 1] as const;
/** Output-channel vectors per block, in both loops: 4 (16 channels), then what is left of a multiple of 4. */
export const CHANNEL_VECTORS = [4, 3, 2, 1] as const;

/**
 * `total` items split into runs of whole blocks, the largest block size first (each loop variant
 * takes one size): the size, where the run starts and how many items it holds (a multiple of
 * `unit` × size). For ResNet's 16 channels in vectors of 4: one run of size 4 (16 channels).
 */
export function blockRuns<S extends number>(
  total: number,
  sizes: readonly S[],
  unit = 1,
): { size: S; start: number; count: number }[] {
  const runs = [];
  let start = 0;
  for (const size of sizes) {
    const count = Math.floor((total - start) / (unit * size)) * unit * size;
    if (!count) continue;
    runs.push({ size, start, count });
    start += count;
  }
  return runs;
}

export type FilterGradientName = `dw${(typeof FILTER_GRADIENT_ROWS)[number]}x${(typeof CHANNEL_VECTORS)[number]}`;

export const FILTER_GRADIENT_FUNCTIONS: readonly WasmFunction[] = FILTER_GRADIENT_ROWS.flatMap((r) =>
  CHANNEL_VECTORS.map((v) => filterGradientLoop(r, v)),
);

/**
 * A convolution's inner loops (the forward pass, and the input gradient's correlations through
 * it), register-blocked as above: R neighbouring outputs of a row × 4V output channels in R·V
 * vector registers, summed over the kernel taps and input channels, each step V loads of the
 * filter, R splats of x and R·V multiply-adds. Over a rectangle of outputs whose taps all read
 * inside x (the caller splits the borders off by their valid taps), for every image:
 *
 *   out[o, co] = max(floor, bias[co] + Σ_{a < aCount, b < bCount, c < run}
 *                  x[o's first input + a·aStep + b·bStep + c] · w[a·wA + b·wB + c·coStride + co])
 *
 * conv{R}x{V}(x, w, bias, out, images, rows, cols, aCount, bCount, run, coCount, coStride, xImage,
 * xRow, xCol, aStep, bStep, wA, wB, outImage, outRow, floor): byte strides; x, w, bias and out
 * point at the rectangle's first input, tap, channel and output; cols counts blocks of R outputs;
 * run is the input channels (or, undilated, a kernel row's taps × channels, which lie one after
 * another); every count at least 1, coCount a multiple of 4V; floor −Infinity, or 0 for a ReLU.
 */
export function convolutionLoop(r: number, v: number): WasmFunction {
  const [x, w, bias, out, images, rows, cols, aCount, bCount, run, coCount, coStride] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const [xImage, xRow, xCol, aStep, bStep, wA, wB, outImage, outRow, floor] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const [img, oh, ow, co, a, b, c, xi, oi, xr, or, xc, oc, pa, wa, pb, wb, px, pw] = [
    22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  ];
  const floorVec = 41;
  const { sum, vector, scalar, each, multiplyAdd, locals } = registerBlock(r, v, 42);
  // Output i of the block: oc + i·coStride (outputs of a row are coStride bytes apart).
  const outAt = (i: number) => (i ? [...get(oc), ...get(coStride), ...i32(i), ...mul, ...add] : get(oc));
  const body: number[] = [
    ...get(floor), ...simd(SIMD.f32x4Splat), ...set(floorVec),
    ...get(x), ...set(xi), ...get(out), ...set(oi), ...get(images), ...set(img),
    ...loop,
    ...get(xi), ...set(xr), ...get(oi), ...set(or), ...get(rows), ...set(oh),
    ...loop,
    ...get(xr), ...set(xc), ...get(or), ...set(oc), ...get(cols), ...set(ow),
    ...loop,
    ...i32(0), ...set(co),
    ...loop,
    ...each((i, j) => [...get(bias), ...get(co), ...add, ...simd(SIMD.load, [4, j * 16]), ...set(sum(i, j))]),
    ...get(xc), ...set(pa), ...get(w), ...get(co), ...add, ...set(wa), ...get(aCount), ...set(a),
    ...loop,
    ...get(pa), ...set(pb), ...get(wa), ...set(wb), ...get(bCount), ...set(b),
    ...loop,
    ...get(pb), ...set(px), ...get(wb), ...set(pw), ...get(run), ...set(c),
    ...loop,
    ...Array.from({ length: v }, (_, j) => [...get(pw), ...simd(SIMD.load, [4, j * 16]), ...set(vector(j))]).flat(),
    ...Array.from({ length: r }, (_, i) => [
      ...get(px), ...(i ? [...get(xCol), ...i32(i), ...mul, ...add] : []), ...simd(SIMD.load32Splat, [2, 0]),
      ...set(scalar(i)),
    ]).flat(),
    ...multiplyAdd,
    ...advance(px, i32(4)), ...advance(pw, get(coStride)),
    ...countdown(c),
    ...end,
    ...advance(pb, get(bStep)), ...advance(wb, get(wB)),
    ...countdown(b),
    ...end,
    ...advance(pa, get(aStep)), ...advance(wa, get(wA)),
    ...countdown(a),
    ...end,
    ...each((i, j) => [
      ...outAt(i), ...get(co), ...add, ...get(sum(i, j)), ...get(floorVec), ...simd(SIMD.f32x4Max),
      ...simd(SIMD.store, [4, j * 16]),
    ]),
    ...get(co), ...i32(16 * v), ...add, ...tee(co), ...get(coCount), ...i32(4), ...mul, ...ne, ...brIf(0),
    ...end,
    ...advance(xc, [...get(xCol), ...i32(r), ...mul]), ...advance(oc, [...get(coStride), ...i32(r), ...mul]),
    ...countdown(ow),
    ...end,
    ...advance(xr, get(xRow)), ...advance(or, get(outRow)),
    ...countdown(oh),
    ...end,
    ...advance(xi, get(xImage)), ...advance(oi, get(outImage)),
    ...countdown(img),
    ...end,
  ]; // prettier-ignore
  return {
    name: `conv${r}x${v}`,
    params: [...new Array<number>(21).fill(I32), F32],
    locals: [...new Array<number>(19).fill(I32), V128, ...locals],
    body,
  };
}

/** Outputs per block: 2 neighbours, then 1 for an odd remainder. */
export const CONVOLUTION_COLUMNS = [2, 1] as const;

export type ConvolutionName = `conv${(typeof CONVOLUTION_COLUMNS)[number]}x${(typeof CHANNEL_VECTORS)[number]}`;

export const CONVOLUTION_FUNCTIONS: readonly WasmFunction[] = CONVOLUTION_COLUMNS.flatMap((r) =>
  CHANNEL_VECTORS.map((v) => convolutionLoop(r, v)),
);
