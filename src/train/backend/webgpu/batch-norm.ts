import { util, type KernelFunc, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { workgroupSum } from './workgroup-sum';
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
 * Batch norm followed by ReLU has its own apply and gradient (the same passes with max(0, ·) and
 * ReLU's mask), so the pair takes no dispatch of ReLU's.
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

const REDUCE = workgroupSum(THREADS);

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

/**
 * The affine map; with `relu`, max(0, y) (batch norm followed by ReLU), and the per-channel
 * numbers its gradient reads, packed as (μ, rstd, γ·rstd) per channel: the gradient also reads
 * the output for ReLU's mask, and separate μ, rstd and γ would take it past the 8 storage
 * buffers a WebGPU shader may bind by default.
 */
const APPLY = (relu: boolean) => () => `
${header(relu ? ['y', 'coefficients'] : ['y'], ['x', 'mean', 'rstd', 'gamma', 'beta'])}
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let size = uniforms.rows * uniforms.channels;
  let stride = i32(groups.x) * ${THREADS};
  for (var i = i32(id.x); i < size; i = i + stride) {
    let c = i % uniforms.channels;
    let v = (x[i] - mean[c]) * (gamma[c] * rstd[c]) + beta[c];
    y[i] = ${relu ? 'max(v, 0.0)' : 'v'};
  }${
    relu
      ? `
  for (var c = i32(id.x); c < uniforms.channels; c = c + stride) {
    coefficients[3 * c] = mean[c];
    coefficients[3 * c + 1] = rstd[c];
    coefficients[3 * c + 2] = gamma[c] * rstd[c];
  }`
      : ''
  }
}`;

/**
 * The gradient; with `relu`, ReLU's first: dy where the rectified output is positive, 0 elsewhere
 * (ReLU's gradient, x > 0 ? dy : 0, with y > 0 ⇔ max(0, y) > 0), the per-channel numbers packed.
 */
const GRAD = (relu: boolean) => () => `
${header(['dx', 'dGamma', 'dBeta'], relu ? ['dy', 'out', 'x', 'coefficients'] : ['dy', 'x', 'mean', 'rstd', 'gamma'])}
${REDUCE}
fn grad(i: i32) -> f32 { return ${relu ? 'select(0.0, dy[i], out[i] > 0.0)' : 'dy[i]'}; }
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) group: vec3<u32>) {
  let c = i32(group.x);
  let rows = uniforms.rows;
  let channels = uniforms.channels;
  let m = ${relu ? 'coefficients[3 * c]' : 'mean[c]'};
  var s = 0.0;
  var p = 0.0;
  for (var r = i32(t); r < rows; r = r + ${THREADS}) {
    let i = r * channels + c;
    let g = grad(i);
    s = s + g;
    p = p + g * (x[i] - m);
  }
  let sum = reduce(t, s);
  let dots = reduce(t, p);
  let r0 = ${relu ? 'coefficients[3 * c + 1]' : 'rstd[c]'};
  let dg = r0 * dots;
  if (t == 0u) {
    dGamma[c] = dg;
    dBeta[c] = sum;
  }
  let k = ${relu ? 'coefficients[3 * c + 2]' : 'gamma[c] * r0'};
  let a = r0 * dg / f32(rows);
  let b = sum / f32(rows);
  for (var r = i32(t); r < rows; r = r + ${THREADS}) {
    let i = r * channels + c;
    dx[i] = (grad(i) - b - (x[i] - m) * a) * k;
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

/** { x, mean, rstd, gamma, beta } → [y]; with `relu`, [max(0, y), (μ, rstd, γ·rstd) per channel]. One dispatch. */
function apply(backend: unknown, inputs: NamedTensorInfoMap, relu: boolean): TensorInfo[] {
  const { x, mean, rstd, gamma, beta } = inputs as Record<'x' | 'mean' | 'rstd' | 'gamma' | 'beta', TensorInfo>;
  const [rows, channels] = split(x);
  return dispatch(internals(backend), {
    key: relu ? 'batchNormReluApply' : 'batchNormApply',
    code: APPLY(relu),
    inputs: [x, mean, rstd, gamma, beta],
    outputs: relu ? [[...x.shape], [channels, 3]] : [[...x.shape]],
    uniforms: [int(rows), int(channels), float(0), float(0)],
    workgroups: Math.min(MAX_GROUPS, Math.ceil((rows * channels) / THREADS)),
  });
}

/** { dy, x, mean, rstd, gamma }, or with `relu` { dy, out, x, coefficients } (apply's) → [dx, dγ, dβ]. One dispatch. */
function grad(backend: unknown, inputs: NamedTensorInfoMap, relu: boolean): TensorInfo[] {
  const { dy, out, x, mean, rstd, gamma, coefficients } = inputs as Record<
    'dy' | 'out' | 'x' | 'mean' | 'rstd' | 'gamma' | 'coefficients',
    TensorInfo
  >;
  const [rows, channels] = split(x);
  return dispatch(internals(backend), {
    key: relu ? 'batchNormReluGrad' : 'batchNormGrad',
    code: GRAD(relu),
    inputs: relu ? [dy, out, x, coefficients] : [dy, x, mean, rstd, gamma],
    outputs: [[...x.shape], [channels], [channels]],
    uniforms: [int(rows), int(channels), float(0), float(0)],
    workgroups: channels,
  });
}

/** { x, mean, rstd, gamma, beta } → y = (x − μ)·γ·rstd + β, in one dispatch. */
export const batchNormApplyWebGpu: KernelFunc = ({ inputs, backend }) => apply(backend, inputs, false)[0] as TensorInfo;

/** { dy, x, mean, rstd, gamma } → [dx, dγ, dβ] (the WASM kernel's contract), in one dispatch. */
export const batchNormGradWebGpu: KernelFunc = ({ inputs, backend }) => grad(backend, inputs, false);

/**
 * { x, mean, rstd, gamma, beta } → [max(0, (x − μ)·γ·rstd + β), coefficients]: batch norm then
 * ReLU in one dispatch; the coefficients, [C, 3], are what batchNormReluGradWebGpu reads.
 */
export const batchNormReluApplyWebGpu: KernelFunc = ({ inputs, backend }) => apply(backend, inputs, true);

/** { dy, out, x, coefficients } → [dx, dγ, dβ] of max(0, batch norm), `out` its output; one dispatch. */
export const batchNormReluGradWebGpu: KernelFunc = ({ inputs, backend }) => grad(backend, inputs, true);
