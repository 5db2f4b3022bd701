/**
 * Just enough of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/)
 * to assemble a small module of SIMD loops that imports the tfjs WASM backend's memory. No
 * compiler is needed at build or run time: the module is a few hundred bytes built here.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const name = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const vec = (items: readonly number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** Instructions, as byte arrays to concatenate. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  ne: [0x47],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  /** SIMD instruction `code` with an optional memory argument (alignment log2, offset). */
  simd: (code: number, memarg?: readonly [number, number]) => [
    0xfd,
    ...uleb(code),
    ...(memarg ? [...uleb(memarg[0]), ...uleb(memarg[1])] : []),
  ],
  v128Zero: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  /** i8x16.shuffle of the two vectors on the stack, picking bytes `lanes` (0–31). */
  shuffle: (lanes: readonly number[]) => [0xfd, ...uleb(13), ...lanes],
} as const;

/** SIMD opcodes used (the spec's numbering after the 0xfd prefix). */
export const SIMD = {
  load: 0,
  load32Splat: 9,
  store: 11,
  f64x2Splat: 20,
  load64Zero: 93,
  store64Lane: 91,
  f32x4DemoteF64x2Zero: 94,
  f64x2PromoteLowF32x4: 95,
  f32x4Gt: 68,
  v128And: 78,
  f32x4Add: 228,
  f32x4Sub: 229,
  f32x4Mul: 230,
  f32x4Div: 231,
  f32x4Max: 233,
  f32x4Splat: 19,
  f64x2Add: 240,
  f64x2Div: 243,
} as const;

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  /** Extra locals after the parameters, by type. */
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/** The most 64 KiB pages a 32-bit memory can have (4 GiB): the threaded tfjs build's maximum. */
const MAX_PAGES = 65536;

/**
 * A module importing memory `env.memory` and exporting `functions` (no results). `shared`: the
 * memory is a threaded build's, which WASM types as shared and bounded, and an import must match.
 */
export function assemble(functions: readonly WasmFunction[], shared = false): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const limits = shared ? [0x03, ...uleb(1), ...uleb(MAX_PAGES)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const codes = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ];
  return new Uint8Array(bytes);
}
