import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { CrossEntropyAttrs } from '../../loop/loss';
import { workgroupSum } from './workgroup-sum';
import { dispatch, float, int, type WebGpuInternals } from './dispatch';

/**
 * The training loss on WebGPU, for the op in src/train/loop/loss.ts: cross-entropy of softmax
 * with label smoothing ε over scores [N, K] and integer labels [N], targets
 * t = (1 − ε)·one-hot + ε/K (a label outside [0, K) has no one-hot part, as tf.oneHot):
 * - loss: mean over rows of −Σₖ tₖ·log pₖ, log pₖ = (xₖ − max x) − log Σ exp(x − max x), the
 *   composite's log-softmax; or, for a model ending in softmax (x holds probabilities),
 *   log max(xₖ, floor), as the composite takes it. In one workgroup (each thread whole rows,
 *   then a tree in workgroup memory, so the sum's order is fixed);
 * - gradient: from scores dx = dy·(p·Σt − t)/N, log-softmax's under the composite's mean; from
 *   probabilities dx = −dy·t/(N·x) where x ≥ floor, else 0. One thread per row;
 * - hits: how many rows' first largest logit is at their label (tf.argMax then equal then sum).
 * The composite took about 25 dispatches (one-hot, casts, log-softmax, products, sums, mean,
 * argMax, equal and their gradients); these take 3. K is small (classes), so a row per thread
 * reads it three times at no cost worth a workgroup per row.
 */

const THREADS = 256;
/** Rows per workgroup of the gradient pass. */
const ROWS = 64;

const internals = (backend: unknown) => backend as WebGpuInternals;

const header = (outputs: string[], inputs: [string, string][]) =>
  [
    'struct Uniforms { rows: i32, classes: i32, smoothing: f32, scale: f32, floor: f32 };',
    ...outputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read_write> ${n}: array<f32>;`),
    ...inputs.map(([n, t], i) => `@group(0) @binding(${outputs.length + i}) var<storage, read> ${n}: array<${t}>;`),
    `@group(0) @binding(${outputs.length + inputs.length}) var<uniform> uniforms: Uniforms;`,
  ].join('\n');

/**
 * Row r's largest score and Σ exp(x − max): the log-softmax's shift. With a floor, x holds
 * probabilities and log p is log(max(x, floor)); its gradient flows where x ≥ floor (tf.maximum's).
 */
const ROW = `
fn shift(r: i32) -> vec2<f32> {
  let k = uniforms.classes;
  var top = x[r * k];
  for (var j = 1; j < k; j = j + 1) { top = max(top, x[r * k + j]); }
  var total = 0.0;
  for (var j = 0; j < k; j = j + 1) { total = total + exp(x[r * k + j] - top); }
  return vec2<f32>(top, log(total));
}
fn goal(r: i32, j: i32) -> f32 {
  let base = uniforms.smoothing / f32(uniforms.classes);
  return select(base, (1.0 - uniforms.smoothing) + base, labels[r] == j);
}`;

const REDUCE = workgroupSum(THREADS);

const LOSS = () => `
${header(
  ['loss'],
  [
    ['x', 'f32'],
    ['labels', 'i32'],
  ],
)}
${ROW}
${REDUCE}
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32) {
  var sum = 0.0;
  let k = uniforms.classes;
  for (var r = i32(t); r < uniforms.rows; r = r + ${THREADS}) {
    var row = 0.0;
    if (uniforms.floor > 0.0) {
      for (var j = 0; j < k; j = j + 1) { row = row + goal(r, j) * log(max(x[r * k + j], uniforms.floor)); }
    } else {
      let s = shift(r);
      for (var j = 0; j < k; j = j + 1) { row = row + goal(r, j) * ((x[r * k + j] - s.x) - s.y); }
    }
    sum = sum - row;
  }
  let total = reduce(t, sum);
  if (t == 0u) { loss[0] = total * uniforms.scale; }
}`;

const GRAD = () => `
${header(
  ['dx'],
  [
    ['dy', 'f32'],
    ['x', 'f32'],
    ['labels', 'i32'],
  ],
)}
${ROW}
@compute @workgroup_size(${ROWS})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let r = i32(id.x);
  if (r >= uniforms.rows) { return; }
  let k = uniforms.classes;
  let g = dy[0] * uniforms.scale;
  if (uniforms.floor > 0.0) {
    for (var j = 0; j < k; j = j + 1) {
      let p = x[r * k + j];
      dx[r * k + j] = select(0.0, -goal(r, j) / max(p, uniforms.floor), p >= uniforms.floor) * g;
    }
    return;
  }
  let s = shift(r);
  var mass = 0.0;
  for (var j = 0; j < k; j = j + 1) { mass = mass + goal(r, j); }
  for (var j = 0; j < k; j = j + 1) {
    let p = exp((x[r * k + j] - s.x) - s.y);
    dx[r * k + j] = (p * mass - goal(r, j)) * g;
  }
}`;

const HITS = () => `
${header(
  ['hits'],
  [
    ['x', 'f32'],
    ['labels', 'i32'],
  ],
)}
${REDUCE}
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32) {
  let k = uniforms.classes;
  var count = 0.0;
  for (var r = i32(t); r < uniforms.rows; r = r + ${THREADS}) {
    var best = 0;
    for (var j = 1; j < k; j = j + 1) { if (x[r * k + j] > x[r * k + best]) { best = j; } }
    count = count + select(0.0, 1.0, labels[r] == best);
  }
  let total = reduce(t, count);
  if (t == 0u) { hits[0] = total; }
}`;

/** Softmax's gradient per row of the last axis: dx = dy·y − Σ(dy·y)·y, tfjs' own order. */
const SOFTMAX_GRAD = () => `
${header(
  ['dx'],
  [
    ['dy', 'f32'],
    ['y', 'f32'],
  ],
)}
@compute @workgroup_size(${ROWS})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let r = i32(id.x);
  if (r >= uniforms.rows) { return; }
  let k = uniforms.classes;
  var total = 0.0;
  for (var j = 0; j < k; j = j + 1) { total = total + dy[r * k + j] * y[r * k + j]; }
  for (var j = 0; j < k; j = j + 1) {
    let i = r * k + j;
    dx[i] = dy[i] * y[i] - total * y[i];
  }
}`;

/** Rows and classes of [N, K] logits with N labels (int32). */
function sizes(x: TensorInfo, labels: TensorInfo): [number, number] {
  const [rows, classes] = x.shape as [number, number];
  if (x.shape.length !== 2 || x.dtype !== 'float32' || rows < 1 || classes < 1)
    throw new Error(`the loss on WebGPU needs [rows, classes] float32 logits, got ${x.dtype} [${x.shape}]`);
  if (labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== rows)
    throw new Error(`the loss on WebGPU needs ${rows} int32 labels, got ${labels.dtype} [${labels.shape}]`);
  return [rows, classes];
}

const uniforms = (rows: number, classes: number, { smoothing, floor }: CrossEntropyAttrs) => [
  int(rows),
  int(classes),
  float(smoothing),
  float(1 / rows),
  float(floor),
];

/** { x, labels } → the batch's mean cross-entropy (a scalar), one dispatch. */
export const crossEntropyWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, labels } = inputs as Record<'x' | 'labels', TensorInfo>;
  const [rows, classes] = sizes(x, labels);
  return dispatch(internals(backend), {
    key: 'crossEntropy',
    code: LOSS,
    inputs: [x, labels],
    outputs: [[]],
    uniforms: uniforms(rows, classes, attrs as unknown as CrossEntropyAttrs),
    workgroups: 1,
  })[0] as TensorInfo;
};

/** { dy, x, labels } → dx [N, K], the loss's gradient, one dispatch. */
export const crossEntropyGradWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, labels } = inputs as Record<'dy' | 'x' | 'labels', TensorInfo>;
  const [rows, classes] = sizes(x, labels);
  return dispatch(internals(backend), {
    key: 'crossEntropyGrad',
    code: GRAD,
    inputs: [dy, x, labels],
    outputs: [[rows, classes]],
    uniforms: uniforms(rows, classes, attrs as unknown as CrossEntropyAttrs),
    workgroups: Math.ceil(rows / ROWS),
  })[0] as TensorInfo;
};

/** { x, labels } → how many rows' argmax is their label (a float32 scalar), one dispatch. */
export const correctWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { x, labels } = inputs as Record<'x' | 'labels', TensorInfo>;
  const [rows, classes] = sizes(x, labels);
  return dispatch(internals(backend), {
    key: 'correct',
    code: HITS,
    inputs: [x, labels],
    outputs: [[]],
    uniforms: uniforms(rows, classes, { smoothing: 0, floor: 0 }),
    workgroups: 1,
  })[0] as TensorInfo;
};

/** { dy, y } → dx: softmax's gradient over the last axis (y its output), one dispatch. */
export const softmaxGradWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as Record<'dy' | 'y', TensorInfo>;
  const classes = y.shape[y.shape.length - 1] ?? 1;
  const rows = util.sizeFromShape(y.shape) / Math.max(classes, 1);
  if (!util.arraysEqual(dy.shape, y.shape) || rows < 1 || classes < 1)
    throw new Error(
      `softmax's gradient on WebGPU needs dy and y of one non-empty shape, got [${dy.shape}] and [${y.shape}]`,
    );
  return dispatch(internals(backend), {
    key: 'softmaxGrad',
    code: SOFTMAX_GRAD,
    inputs: [dy, y],
    outputs: [[...y.shape]],
    uniforms: uniforms(rows, classes, { smoothing: 0, floor: 0 }),
    workgroups: Math.ceil(rows / ROWS),
  })[0] as TensorInfo;
};
