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
import { BATCH_NORM_APPLY, BATCH_NORM_GRAD, BATCH_NORM_STATS } from '../../model/ops/batch-norm';
import { callKernel, disposeAll } from '../call-kernel';
import { registerReduceGradients } from '../reduce-gradients';
import { batchNormApplyWebGpu, batchNormGradWebGpu, batchNormStatsWebGpu } from './batch-norm';
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
};

/** Our batch-norm op's own kernels (none in the package): statistics, affine map, gradient. */
const ADDITIONS: Readonly<Record<string, KernelFunc>> = {
  [BATCH_NORM_STATS]: batchNormStatsWebGpu,
  [BATCH_NORM_APPLY]: batchNormApplyWebGpu,
  [BATCH_NORM_GRAD]: batchNormGradWebGpu,
};

/** The names of the kernels registered for 'webgpu' by registerWebGpuTrainingKernels. */
export const WEBGPU_TRAINING_KERNELS: readonly string[] = [...Object.keys(REPLACEMENTS), ...Object.keys(ADDITIONS)];

/** Registers our batch-norm kernels for 'webgpu' (registerWebGpuTrainingKernels does too). */
export function registerWebGpuBatchNorm(): void {
  for (const [kernelName, kernelFunc] of Object.entries(ADDITIONS))
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
 * fallback for calls ours do not cover), our batch-norm op's three kernels, our gradients of Mean and Sum (reduce-gradients.ts),
 * a larger submit batch, and the cached uniforms and bind groups of host-cache.ts.
 * Call after importing @tensorflow/tfjs-backend-webgpu; safe to call more than once.
 */
export function registerWebGpuTrainingKernels(hostCache?: HostCacheParts): void {
  registerReduceGradients('webgpu');
  registerWebGpuBatchNorm();
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
