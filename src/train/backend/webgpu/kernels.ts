import {
  backend_util,
  env,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
// tfjs' im2col program (its forward convolution's), from the package's own ES modules.
import { Im2ColProgram } from '@tensorflow/tfjs-backend-webgpu/dist/im2col_webgpu';
import { ADD_RELU } from '../../model/ops/add-relu';
import {
  BATCH_NORM_APPLY,
  BATCH_NORM_GRAD,
  BATCH_NORM_RELU_APPLY,
  BATCH_NORM_RELU_GRAD,
  BATCH_NORM_STATS,
} from '../../model/ops/batch-norm';
import { callKernel, disposeAll } from '../call-kernel';
import { registerReduceGradients } from '../reduce-gradients';
import { CORRECT, CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '../../loop/loss';
import { ADAM_STEP, FLAT_CONCAT, FLAT_SPLIT, SGD_STEP } from '../../loop/optimizer';
import { registerReluGradient, RELU_GRAD } from '../relu-gradient';
import { registerSoftmaxGradient, SOFTMAX_GRAD } from '../softmax-gradient';
import {
  batchNormApplyWebGpu,
  batchNormGradWebGpu,
  batchNormReluApplyWebGpu,
  batchNormReluGradWebGpu,
  batchNormStatsWebGpu,
} from './batch-norm';
import { correctWebGpu, crossEntropyGradWebGpu, crossEntropyWebGpu, softmaxGradWebGpu } from './loss';
import { flatConcatWebGpu, flatSplitWebGpu } from './flat';
import { adamStepWebGpu, sgdStepWebGpu, splitV } from './optimizer';
import { addReluWebGpu, reluGradWebGpu } from './relu';
import { installHostCache, type HostCacheParts } from './host-cache';

/**
 * tfjs-backend-webgpu 4.22 computes Conv2DBackpropFilter with one GPU thread per filter element,
 * each summing serially over the whole batch and image: for ResNet-20's first stage at batch 64,
 * 2,304 threads of 65,536 products each, which leaves a GPU nearly idle and made a training step
 * on an H100 take about a second (inference: 13 ms). Ours gathers the input's patches (im2col)
 * and multiplies them by dy in one matrix product,
 *   dW = patchesᵀ · dy,  [kh·kw·ci, n·oh·ow] × [n·oh·ow, co],
 * which the backend splits along its long inner dimension across many workgroups: three dispatches
 * (im2col, a zero fill, the split-K product), each the backend's own program. On WebGPU each
 * dispatch also costs JavaScript time (the bottleneck on a fast GPU), so fewer is better. NCHW
 * calls keep the package's kernel.
 */

interface FilterGradAttrs {
  readonly strides: number | [number, number];
  readonly pad: backend_util.ExplicitPadding | 'valid' | 'same' | number;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly filterShape: [number, number, number, number];
}

type WebGpuBackend = {
  readonly device: { readonly limits: { readonly maxStorageBufferBindingSize: number } };
  disposeData(dataId: object): void;
  runWebGPUProgram(program: Im2ColProgram, inputs: TensorInfo[], dtype: 'float32', uniforms: object[]): TensorInfo;
};

const reshape = (backend: WebGpuBackend, x: TensorInfo, shape: number[]) =>
  callKernel('webgpu', backend, 'Reshape', { x }, { shape });

/**
 * The input's patches, [n, oh·ow, kh·kw·ci] (taps in the filter's row, column, channel order,
 * zeros where the window leaves the input): tfjs' own im2col program, the one its forward
 * convolution uses, in one dispatch.
 */
function patches(backend: WebGpuBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const program = new Im2ColProgram([info.batchSize, oh * ow, kh * kw * ci], true);
  return backend.runWebGPUProgram(program, [x], 'float32', [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.dilationHeight, info.dilationWidth] },
    { type: 'int32', data: [ow] },
    { type: 'int32', data: [ci * kw] },
    { type: 'int32', data: [ci] },
  ]);
}

function conv2DBackpropFilter(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as FilterGradAttrs;
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    if (a.dataFormat === 'NCHW') return original(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const b = backend as unknown as WebGpuBackend;
    // The patches are kh·kw times the input: past what one storage binding may hold (WebGPU would
    // report it asynchronously and the gradient would be wrong), the package's kernel does it.
    if (rows * kh * kw * ci * 4 > b.device.limits.maxStorageBufferBindingSize) return original(args);
    const cols = patches(b, x, info);
    const left = reshape(b, cols, [1, rows, kh * kw * ci]);
    const right = reshape(b, dy, [1, rows, co]);
    const product = callKernel(
      'webgpu',
      b,
      'BatchMatMul',
      { a: left, b: right },
      { transposeA: true, transposeB: false },
    );
    const dW = reshape(b, product, [kh, kw, ci, co]);
    disposeAll(b, cols, left, right, product);
    return dW;
  };
}

const REPLACEMENTS: Readonly<Record<string, (original: KernelFunc) => KernelFunc>> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  SplitV: splitV,
};

/**
 * Kernels of ours the package has no counterpart for: our batch-norm op's (statistics, affine
 * map, gradient; the latter two also followed by ReLU), the optimizer's whole step (SGD, Adam) and
 * its flat vector's concatenation and split, and the loss's (cross-entropy, its gradient, correct
 * predictions, softmax's gradient: the latter is made Softmax's gradient on 'webgpu' by
 * registerWebGpuTrainingKernels).
 */
const ADDITIONS: Readonly<Record<string, KernelFunc>> = {
  [BATCH_NORM_STATS]: batchNormStatsWebGpu,
  [BATCH_NORM_APPLY]: batchNormApplyWebGpu,
  [BATCH_NORM_GRAD]: batchNormGradWebGpu,
  [BATCH_NORM_RELU_APPLY]: batchNormReluApplyWebGpu,
  [BATCH_NORM_RELU_GRAD]: batchNormReluGradWebGpu,
  [SGD_STEP]: sgdStepWebGpu,
  [ADAM_STEP]: adamStepWebGpu,
  [CROSS_ENTROPY]: crossEntropyWebGpu,
  [CROSS_ENTROPY_GRAD]: crossEntropyGradWebGpu,
  [CORRECT]: correctWebGpu,
  [SOFTMAX_GRAD]: softmaxGradWebGpu,
  [FLAT_CONCAT]: flatConcatWebGpu,
  [FLAT_SPLIT]: flatSplitWebGpu,
};

/**
 * ReLU's: its gradient in one pass (relu-gradient.ts makes it Relu's gradient on 'webgpu'), and a
 * residual sum followed by ReLU (ops/add-relu.ts).
 */
const RELU: Readonly<Record<string, KernelFunc>> = { [RELU_GRAD]: reluGradWebGpu, [ADD_RELU]: addReluWebGpu };

/** The names of the kernels registered for 'webgpu' by registerWebGpuTrainingKernels. */
export const WEBGPU_TRAINING_KERNELS: readonly string[] = [
  ...Object.keys(REPLACEMENTS),
  ...Object.keys(ADDITIONS),
  ...Object.keys(RELU),
];

/** Registers the kernels of ours the package has no counterpart for (registerWebGpuTrainingKernels does too). */
export function registerWebGpuAdditions(): void {
  registerAll(ADDITIONS);
}

/** Registers ReLU's kernels for 'webgpu' and makes the one-pass gradient Relu's gradient there. */
export function registerWebGpuRelu(): void {
  registerAll(RELU);
  registerReluGradient('webgpu');
}

function registerAll(kernels: Readonly<Record<string, KernelFunc>>): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels))
    if (getKernel(kernelName, 'webgpu')?.kernelFunc !== kernelFunc)
      registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
}

const ours = new Set<KernelFunc>();

/**
 * Dispatches recorded before the backend submits them to the GPU queue (tfjs' default: 15). A
 * ResNet-20 step is about 2,000 dispatches; in a CPU profile on an H100 (Node, Dawn) each submit
 * blocked for about 1.6 ms and submits took 38% of the step; with 100 the step's median went from
 * 550–600 ms to 490 ms.
 */
const SUBMIT_BATCH = 100;

/**
 * Registers our kernels for the 'webgpu' backend in place of slow ones (the package's stays as the
 * fallback for calls ours do not cover), the kernels of ours it has no counterpart for (batch
 * norm, the optimizer's step), our gradients of Mean and Sum (reduce-gradients.ts), ReLU's
 * one-pass gradient, a larger submit batch, and the cached uniforms and bind groups of
 * host-cache.ts.
 * Call after importing @tensorflow/tfjs-backend-webgpu; safe to call more than once.
 */
export function registerWebGpuTrainingKernels(hostCache?: HostCacheParts): void {
  registerReduceGradients('webgpu');
  registerWebGpuAdditions();
  registerSoftmaxGradient('webgpu');
  registerWebGpuRelu();
  env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', SUBMIT_BATCH);
  installHostCache(hostCache);
  for (const [kernelName, make] of Object.entries(REPLACEMENTS)) {
    const existing = getKernel(kernelName, 'webgpu');
    if (!existing) throw new Error(`tfjs-backend-webgpu has no ${kernelName} kernel to replace`);
    if (ours.has(existing.kernelFunc)) continue;
    const kernelFunc = make(existing.kernelFunc);
    ours.add(kernelFunc);
    unregisterKernel(kernelName, 'webgpu');
    const config: KernelConfig = { ...existing, kernelFunc };
    registerKernel(config);
  }
}
