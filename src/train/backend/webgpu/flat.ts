import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { FlatSplitAttrs } from '../../loop/optimizer';
import { dispatch, int, type WebGpuInternals } from './dispatch';

/**
 * The optimizer's flat vector on WebGPU, made and taken apart (src/train/loop/optimizer.ts keeps
 * parameters, gradients and state as single vectors, as PyTorch's `foreach` optimizers do):
 * - in: tensors of any shapes, their values end to end (row-major) in one new vector. tfjs did it as
 *   a Reshape kernel call per tensor and a Concat, which tfjs-backend-webgpu runs as about 12
 *   dispatches for ResNet-20's 59 gradients (groups of inputs, then the groups' results again).
 *   Ours writes up to 7 inputs per dispatch straight into their range of the one output.
 * - out: the vector cut into runs, each run already in its parameter's shape (no Reshape kernel
 *   call per part), up to 7 parts per dispatch. The SplitV replacement uses the same dispatches.
 * A dispatch binds at most 8 storage buffers (WebGPU's default limit, which tfjs requests): the
 * one output or input, and 7 parts.
 */

const THREADS = 256;
const MAX_GROUPS = 4096;
const PARTS_PER_DISPATCH = 7;
const EMPTY = new Float32Array(0);

const internals = (backend: unknown) => backend as WebGpuInternals;
const groups = (size: number) => Math.max(1, Math.min(MAX_GROUPS, Math.ceil(size / THREADS)));

/**
 * The shader over i in [start, e(k−1)) of the flat vector, in a grid-stride loop, with part j the
 * run [e(j−1), e(j)) (e(−1) = start); `copy` moves element i between the vector and part j, and
 * `writes` says which of them the shader writes.
 */
const runs =
  (k: number, vector: string, writes: 'vector' | 'parts', copy: (part: string, at: string) => string) => () => {
    const parts = Array.from({ length: k }, (_, j) => `p${j}`);
    const ends = parts.map((_, j) => `e${j}: i32`).join(', ');
    const branches = parts
      .map((p, j) => `if (i < uniforms.e${j}) { ${copy(p, `i - uniforms.${j ? `e${j - 1}` : 'start'}`)} }`)
      .join(' else ');
    // dispatch()'s order: the outputs (read_write), then the inputs.
    const [written, read] = writes === 'vector' ? [[vector], parts] : [parts, [vector]];
    const bindings = [...written.map((n) => [n, 'read_write']), ...read.map((n) => [n, 'read'])].map(
      ([name, access], b) => `@group(0) @binding(${b}) var<storage, ${access}> ${name}: array<f32>;`,
    );
    return `
struct Uniforms { start: i32, ${ends} };
${bindings.join('\n')}
@group(0) @binding(${k + 1}) var<uniform> uniforms: Uniforms;
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
  let stride = i32(n.x) * ${THREADS};
  for (var i = uniforms.start + i32(id.x); i < uniforms.e${k - 1}; i = i + stride) {
    ${branches}
  }
}`;
  };

/** Concatenation: part j's element i − e(j−1) to out[i]. */
const CONCAT = (k: number) => runs(k, 'out', 'vector', (p, at) => `out[i] = ${p}[${at}];`);
/** Split: x[i] to part j's element i − e(j−1). */
const SPLIT = (k: number) => runs(k, 'x', 'parts', (p, at) => `${p}[${at}] = x[i];`);

/** The parts' chunks of up to 7, each with its range of the flat vector: [start, ends…]. */
function chunks<T>(parts: readonly T[], size: (t: T) => number): { parts: T[]; start: number; ends: number[] }[] {
  const out: { parts: T[]; start: number; ends: number[] }[] = [];
  let start = 0;
  for (let first = 0; first < parts.length; first += PARTS_PER_DISPATCH) {
    const chunk = parts.slice(first, first + PARTS_PER_DISPATCH);
    const ends = chunk.reduce<number[]>((e, t) => [...e, (e[e.length - 1] ?? start) + size(t)], []);
    out.push({ parts: chunk, start, ends });
    start = ends[ends.length - 1] as number;
  }
  return out;
}

/**
 * `x`'s values cut into consecutive runs, one per shape (their sizes summing to at most x's, from
 * its start), each a new float32 tensor of that shape: up to 7 per dispatch.
 */
export function splitInto(backend: unknown, x: TensorInfo, shapes: readonly number[][]): TensorInfo[] {
  const b = internals(backend);
  const sizes = shapes.map((s) => util.sizeFromShape(s));
  if (x.dtype !== 'float32' || sizes.reduce((t, s) => t + s, 0) > util.sizeFromShape(x.shape))
    throw new Error(`split on WebGPU: ${x.dtype} [${x.shape}] does not hold parts [${shapes.join('], [')}]`);
  const filled = shapes.filter((_, i) => sizes[i]);
  const made = chunks(filled, util.sizeFromShape).flatMap(({ parts, start, ends }) =>
    dispatch(b, {
      key: `split${parts.length}`,
      code: SPLIT(parts.length),
      inputs: [x],
      outputs: parts,
      uniforms: [int(start), ...ends.map(int)],
      workgroups: groups((ends[ends.length - 1] as number) - start),
    }),
  );
  // Empty parts have no dispatch: new empty tensors (with their no values, as the package's), in their places.
  return shapes.map((s, i) => (sizes[i] ? (made.shift() as TensorInfo) : b.makeTensorInfo(s, 'float32', EMPTY)));
}

/** { x } → one float32 tensor per attrs.shapes: x's values in order, each part in its shape. */
export const flatSplitWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { shapes } = attrs as unknown as FlatSplitAttrs;
  const x = inputs['x'] as TensorInfo;
  if (shapes.reduce((t, s) => t + util.sizeFromShape(s), 0) !== util.sizeFromShape(x.shape))
    throw new Error(`flat split on WebGPU: parts [${shapes.join('], [')}] do not make up [${x.shape}]`);
  return splitInto(backend, x, shapes);
};

/**
 * { 0, 1, … } (float32 tensors of any shapes, as tf.concat passes its list) → one float32 vector
 * of their values end to end, each tensor's in row-major order: up to 7 inputs per dispatch, each
 * dispatch writing its range of the one output.
 */
export const flatConcatWebGpu: KernelFunc = ({ inputs, backend }) => {
  const b = internals(backend);
  const parts = Object.keys(inputs)
    .sort((p, q) => Number(p) - Number(q))
    .map((k) => inputs[k] as TensorInfo);
  if (parts.some((t) => t.dtype !== 'float32'))
    throw new Error(`flat concatenation on WebGPU takes float32 tensors, got ${parts.map((t) => t.dtype)}`);
  const filled = parts.filter((t) => util.sizeFromShape(t.shape));
  const size = filled.reduce((s, t) => s + util.sizeFromShape(t.shape), 0);
  const out = b.makeTensorInfo([size], 'float32', size ? undefined : EMPTY);
  for (const { parts: chunk, start, ends } of chunks(filled, (t) => util.sizeFromShape(t.shape)))
    dispatch(b, {
      key: `flatConcat${chunk.length}`,
      code: CONCAT(chunk.length),
      inputs: chunk,
      outputs: [out],
      uniforms: [int(start), ...ends.map(int)],
      workgroups: groups((ends[ends.length - 1] as number) - start),
    });
  return out;
};
