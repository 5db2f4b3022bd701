import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { dispatch, type WebGpuInternals } from './dispatch';

/**
 * ReLU's gradient on WebGPU in one dispatch, x > 0 ? dy : 0, where tfjs' own is step(x) then a
 * product (two dispatches, and a mask tensor written and read again). The values are tfjs':
 * dy·1 and dy·0. Registered as RELU_GRAD (../relu-gradient.ts) by webgpu/kernels.ts. And a
 * residual sum followed by ReLU, max(0, a + b), in one dispatch (ops/add-relu.ts).
 */

const THREADS = 256;
/** Workgroups at most; each thread then strides over the rest. */
const MAX_GROUPS = 4096;

const RELU_GRAD = () => `
struct Uniforms { size: i32, a: i32, b: f32, c: f32 };
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<uniform> uniforms: Uniforms;
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = i32(groups.x) * ${THREADS};
  for (var i = i32(id.x); i < uniforms.size; i = i + stride) {
    dx[i] = select(0.0, dy[i], x[i] > 0.0);
  }
}`;

const ADD_RELU = () => `
struct Uniforms { size: i32, a: i32, b: f32, c: f32 };
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> uniforms: Uniforms;
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = i32(groups.x) * ${THREADS};
  for (var i = i32(id.x); i < uniforms.size; i = i + stride) {
    out[i] = max(a[i] + b[i], 0.0);
  }
}`;

/** Workgroups of an elementwise pass over `size` values (strided past MAX_GROUPS). */
export const elementwiseGroups = (size: number) => Math.min(MAX_GROUPS, Math.ceil(size / THREADS));

/** One elementwise dispatch of `code` over two inputs of `x`'s shape. */
function elementwise(backend: unknown, key: string, code: () => string, x: TensorInfo, y: TensorInfo): TensorInfo {
  const size = util.sizeFromShape(x.shape);
  const gpu = backend as WebGpuInternals;
  if (size === 0) return gpu.makeTensorInfo([...x.shape], 'float32');
  const [out] = dispatch(gpu, {
    key,
    code,
    inputs: [x, y],
    outputs: [[...x.shape]],
    uniforms: [
      { type: 'int32', value: size },
      { type: 'int32', value: 0 },
      { type: 'float32', value: 0 },
      { type: 'float32', value: 0 },
    ],
    workgroups: elementwiseGroups(size),
  });
  return out as TensorInfo;
}

/** { dy, x } → x > 0 ? dy : 0, in one dispatch. */
export const reluGradWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  return elementwise(backend, 'reluGrad', RELU_GRAD, dy, x);
};

/** { a, b } (the same shape) → max(0, a + b): a residual sum then ReLU, in one dispatch. */
export const addReluWebGpu: KernelFunc = ({ inputs, backend }) => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  if (!util.arraysEqual(a.shape, b.shape))
    throw new Error(`add+relu needs equal shapes, got [${a.shape}] and [${b.shape}]`);
  return elementwise(backend, 'addRelu', ADD_RELU, a, b);
};
