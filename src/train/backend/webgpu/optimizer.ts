import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { AdamStepAttrs, SgdStepAttrs } from '../../loop/optimizer';
import { dispatch, float, int, type WebGpuInternals } from './dispatch';
import { splitInto } from './flat';

/**
 * The optimizer's step on WebGPU as one dispatch over the flat parameters, for the kernels
 * src/train/loop/optimizer.ts asks for (it flattens parameters, gradients and state into single
 * vectors, as PyTorch's `foreach` optimizers do). The composite ops took about 10 element-wise
 * kernels per step, and their learning rate was a new scalar uploaded every step; here it is a
 * uniform. Each kernel does the composite's arithmetic in the composite's order:
 * - SGD: g ← g + λw; b ← μb + g; w ← w − η(g + μb) with Nesterov, else w − ηb;
 * - Adam: g ← g + λw; m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; w ← w − (m / (√(v/c2) + ε))·(η/c1).
 *
 * And SplitV: tfjs-backend-webgpu splits with one Slice dispatch per part (65 for ResNet-20); ours
 * writes up to 7 parts per dispatch (flat.ts), when the parts are contiguous runs of the input.
 */

const THREADS = 256;
const MAX_GROUPS = 4096;

const internals = (backend: unknown) => backend as WebGpuInternals;
const groups = (size: number) => Math.max(1, Math.min(MAX_GROUPS, Math.ceil(size / THREADS)));

/** Every element of [0, size) once, in a grid-stride loop. */
const elementwise = (struct: string, bindings: string, body: string) => `
struct Uniforms { ${struct} };
${bindings}
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
  let stride = i32(n.x) * ${THREADS};
  for (var i = i32(id.x); i < uniforms.size; i = i + stride) {
${body}
  }
}`;

const bind = (outputs: string[], inputs: string[]) =>
  [
    ...outputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read_write> ${n}: array<f32>;`),
    ...inputs.map((n, i) => `@group(0) @binding(${outputs.length + i}) var<storage, read> ${n}: array<f32>;`),
    `@group(0) @binding(${outputs.length + inputs.length}) var<uniform> uniforms: Uniforms;`,
  ].join('\n');

const SGD = () =>
  elementwise(
    'size: i32, nesterov: i32, lr: f32, momentum: f32, decay: f32',
    bind(['wOut', 'bOut'], ['w', 'g', 'b']),
    `    let w0 = w[i];
    let g0 = g[i] + w0 * uniforms.decay;
    let b1 = b[i] * uniforms.momentum + g0;
    bOut[i] = b1;
    var step = b1;
    if (uniforms.nesterov != 0) { step = g0 + b1 * uniforms.momentum; }
    wOut[i] = w0 - step * uniforms.lr;`,
  );

const ADAM = () =>
  elementwise(
    'size: i32, lrOverC1: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, c2: f32, epsilon: f32, decay: f32',
    bind(['wOut', 'mOut', 'vOut'], ['w', 'g', 'm', 'v']),
    `    let w0 = w[i];
    let g0 = g[i] + w0 * uniforms.decay;
    let m1 = m[i] * uniforms.beta1 + g0 * uniforms.oneMinusBeta1;
    let v1 = v[i] * uniforms.beta2 + (g0 * g0) * uniforms.oneMinusBeta2;
    mOut[i] = m1;
    vOut[i] = v1;
    wOut[i] = w0 - (m1 / (sqrt(v1 / uniforms.c2) + uniforms.epsilon)) * uniforms.lrOverC1;`,
  );

function flatSize(...tensors: TensorInfo[]): number {
  const size = util.sizeFromShape(tensors[0]!.shape);
  if (!size || tensors.some((t) => util.sizeFromShape(t.shape) !== size || t.dtype !== 'float32'))
    throw new Error(`optimizer step on WebGPU needs same-sized float32 vectors, got ${tensors.map((t) => t.shape)}`);
  return size;
}

/** { w, g, b } → [w′, b′]: one SGD step (momentum, optionally Nesterov, weight decay), one dispatch. */
export const sgdStepWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { w, g, b } = inputs as Record<'w' | 'g' | 'b', TensorInfo>;
  const { lr, momentum, nesterov, weightDecay } = attrs as unknown as SgdStepAttrs;
  const size = flatSize(w, g, b);
  return dispatch(internals(backend), {
    key: 'sgdStep',
    code: SGD,
    inputs: [w, g, b],
    outputs: [[size], [size]],
    uniforms: [int(size), int(nesterov ? 1 : 0), float(lr), float(momentum), float(weightDecay)],
    volatile: true, // the learning rate follows its schedule
    workgroups: groups(size),
  });
};

/** { w, g, m, v } → [w′, m′, v′]: one Adam step (weight decay as L2 in the gradient), one dispatch. */
export const adamStepWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { w, g, m, v } = inputs as Record<'w' | 'g' | 'm' | 'v', TensorInfo>;
  const { lr, beta1, beta2, epsilon, step, weightDecay } = attrs as unknown as AdamStepAttrs;
  const size = flatSize(w, g, m, v);
  const [c1, c2] = [1 - beta1 ** step, 1 - beta2 ** step];
  return dispatch(internals(backend), {
    key: 'adamStep',
    code: ADAM,
    inputs: [w, g, m, v],
    outputs: [[size], [size], [size]],
    uniforms: [
      int(size),
      float(lr / c1),
      float(beta1),
      float(1 - beta1),
      float(beta2),
      float(1 - beta2),
      float(c2),
      float(epsilon),
      float(weightDecay),
    ],
    volatile: true, // the learning rate and the bias corrections change every step
    workgroups: groups(size),
  });
};

interface SplitAttrs {
  readonly numOrSizeSplits: number | number[];
  readonly axis: number | number[];
}

/**
 * SplitV with up to 7 parts per dispatch where every part is one contiguous run of x (float32,
 * every axis before the split axis of size 1: the optimizer's flat vector); `original` (the
 * package's, one Slice per part) otherwise.
 */
export function splitV(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as TensorInfo;
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitAttrs;
    const rank = x.shape.length;
    const a = util.parseAxisParam(axis, x.shape)[0] as number;
    const along = x.shape[a] as number;
    const sizes =
      typeof numOrSizeSplits === 'number'
        ? Array.from({ length: numOrSizeSplits }, () => along / numOrSizeSplits)
        : numOrSizeSplits.map((s) =>
            s === -1 ? along - numOrSizeSplits.reduce((t, q) => t + (q === -1 ? 0 : q), 0) : s,
          );
    const contiguous = x.shape.slice(0, a).every((d) => d === 1);
    if (x.dtype !== 'float32' || !contiguous || sizes.some((s) => !Number.isInteger(s) || s <= 0) || rank === 0)
      return original(args);
    return splitInto(
      args.backend,
      x,
      sizes.map((s) => x.shape.map((d, i) => (i === a ? s : d))),
    );
  };
}
