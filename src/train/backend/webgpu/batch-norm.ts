import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { dispatch, type WebGpuInternals } from './dispatch';

/**
 * Batch norm's training passes on WebGPU, for the op in src/train/model/ops/batch-norm.ts, over
 * every axis but the last (channels), one dispatch each where the composite ops took about 28
 * (forward, moving averages and gradient together):
 * - statistics: one workgroup per channel sums its column (the mean), then the squares around
 *   the mean (the biased variance), and writes mean, variance, 1/√(variance + ε) and both moving
 *   averages (moving − (moving − batch)·(1 − momentum), as tfjs-layers);
 * - apply: y = (x − μ)·(γ·rstd) + β, elementwise;
 * - gradient: one workgroup per channel sums dy and dy·(x − μ), then writes its column of
 *   dx = γ·rstd·(dy − Σdy/N − (x − μ)·rstd·dγ/N), with dγ = rstd·Σdy·(x − μ), dβ = Σdy.
 * Sums: each of 256 threads a strided part of the column, then a tree in workgroup memory.
 */

const THREADS = 256;
/** Workgroups of the elementwise pass at most; each thread then strides over the rest. */
const MAX_GROUPS = 4096;

const internals = (backend: unknown) => backend as WebGpuInternals;

/** Rows and channels of a channels-last tensor. */
function split(x: TensorInfo): [number, number] {
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = util.sizeFromShape(x.shape) / Math.max(channels, 1);
  if (rows < 1 || channels < 1) throw new Error(`batch norm on WebGPU needs a non-empty input, got [${x.shape}]`);
  return [rows, channels];
}

const header = (outputs: string[], inputs: string[]) =>
  [
    'struct Uniforms { rows: i32, channels: i32, a: f32, b: f32 };',
    ...outputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read_write> ${n}: array<f32>;`),
    ...inputs.map((n, i) => `@group(0) @binding(${outputs.length + i}) var<storage, read> ${n}: array<f32>;`),
    `@group(0) @binding(${outputs.length + inputs.length}) var<uniform> uniforms: Uniforms;`,
  ].join('\n');

/** A sum over the workgroup (every thread calls it, in uniform control flow). */
const REDUCE = `
var<workgroup> partial: array<f32, ${THREADS}>;
fn reduce(t: u32, v: f32) -> f32 {
  partial[t] = v;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { partial[t] = partial[t] + partial[t + s]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;

const STATS = () => `
${header(['mean', 'variance', 'rstd', 'movingMeanOut', 'movingVarianceOut'], ['x', 'movingMean', 'movingVariance'])}
${REDUCE}
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) group: vec3<u32>) {
  let c = i32(group.x);
  let rows = uniforms.rows;
  let channels = uniforms.channels;
  var s = 0.0;
  for (var r = i32(t); r < rows; r = r + ${THREADS}) { s = s + x[r * channels + c]; }
  let m = reduce(t, s) / f32(rows);
  var q = 0.0;
  for (var r = i32(t); r < rows; r = r + ${THREADS}) {
    let d = x[r * channels + c] - m;
    q = q + d * d;
  }
  let v = reduce(t, q) / f32(rows);
  if (t == 0u) {
    mean[c] = m;
    variance[c] = v;
    rstd[c] = inverseSqrt(v + uniforms.a);
    movingMeanOut[c] = movingMean[c] - (movingMean[c] - m) * uniforms.b;
    movingVarianceOut[c] = movingVariance[c] - (movingVariance[c] - v) * uniforms.b;
  }
}`;

const APPLY = () => `
${header(['y'], ['x', 'mean', 'rstd', 'gamma', 'beta'])}
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let size = uniforms.rows * uniforms.channels;
  let stride = i32(groups.x) * ${THREADS};
  for (var i = i32(id.x); i < size; i = i + stride) {
    let c = i % uniforms.channels;
    y[i] = (x[i] - mean[c]) * (gamma[c] * rstd[c]) + beta[c];
  }
}`;

const GRAD = () => `
${header(['dx', 'dGamma', 'dBeta'], ['dy', 'x', 'mean', 'rstd', 'gamma'])}
${REDUCE}
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) group: vec3<u32>) {
  let c = i32(group.x);
  let rows = uniforms.rows;
  let channels = uniforms.channels;
  let m = mean[c];
  var s = 0.0;
  var p = 0.0;
  for (var r = i32(t); r < rows; r = r + ${THREADS}) {
    let i = r * channels + c;
    s = s + dy[i];
    p = p + dy[i] * (x[i] - m);
  }
  let sum = reduce(t, s);
  let dots = reduce(t, p);
  let r0 = rstd[c];
  let dg = r0 * dots;
  if (t == 0u) {
    dGamma[c] = dg;
    dBeta[c] = sum;
  }
  let k = gamma[c] * r0;
  let a = r0 * dg / f32(rows);
  let b = sum / f32(rows);
  for (var r = i32(t); r < rows; r = r + ${THREADS}) {
    let i = r * channels + c;
    dx[i] = (dy[i] - b - (x[i] - m) * a) * k;
  }
}`;

const int = (value: number) => ({ type: 'int32', value }) as const;
const float = (value: number) => ({ type: 'float32', value }) as const;

/**
 * { x, movingMean, movingVariance } with { epsilon, momentum } →
 * [mean, variance, rstd, movingMean′, movingVariance′], each [C], in one dispatch.
 */
export const batchNormStatsWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, movingMean, movingVariance } = inputs as Record<'x' | 'movingMean' | 'movingVariance', TensorInfo>;
  const { epsilon, momentum } = attrs as unknown as { epsilon: number; momentum: number };
  const [rows, channels] = split(x);
  return dispatch(internals(backend), {
    key: 'batchNormStats',
    code: STATS,
    inputs: [x, movingMean, movingVariance],
    outputs: Array.from({ length: 5 }, () => [channels]),
    uniforms: [int(rows), int(channels), float(epsilon), float(1 - momentum)],
    workgroups: channels,
  });
};

/** { x, mean, rstd, gamma, beta } → y = (x − μ)·γ·rstd + β, in one dispatch. */
export const batchNormApplyWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { x, mean, rstd, gamma, beta } = inputs as Record<'x' | 'mean' | 'rstd' | 'gamma' | 'beta', TensorInfo>;
  const [rows, channels] = split(x);
  const [y] = dispatch(internals(backend), {
    key: 'batchNormApply',
    code: APPLY,
    inputs: [x, mean, rstd, gamma, beta],
    outputs: [[...x.shape]],
    uniforms: [int(rows), int(channels), float(0), float(0)],
    workgroups: Math.min(MAX_GROUPS, Math.ceil((rows * channels) / THREADS)),
  });
  return y as TensorInfo;
};

/** { dy, x, mean, rstd, gamma } → [dx, dγ, dβ] (the WASM kernel's contract), in one dispatch. */
export const batchNormGradWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { dy, x, mean, rstd, gamma } = inputs as Record<'dy' | 'x' | 'mean' | 'rstd' | 'gamma', TensorInfo>;
  const [rows, channels] = split(x);
  return dispatch(internals(backend), {
    key: 'batchNormGrad',
    code: GRAD,
    inputs: [dy, x, mean, rstd, gamma],
    outputs: [[...x.shape], [channels], [channels]],
    uniforms: [int(rows), int(channels), float(0), float(0)],
    workgroups: channels,
  });
};
