import '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_GRAD, BATCH_NORM_MOMENTS } from '../../model/ops/batch-norm';
import { convBackpropFilterNHWC } from './backprop-filter';
import { batchNormGrad, batchNormMoments } from './batch-norm';
import { convBackpropInputNHWC } from './backprop-input';
import { makeConvolution } from './convolution';
import { depthwiseBackpropFilterNHWC, depthwiseBackpropInputNHWC } from './depthwise-backprop';
import { makeAlias, makeSlice, makeSplitV, makeTile } from './copy-kernels';
import { registerReduceGradients } from '../reduce-gradients';
import { registerReluGradient, RELU_GRAD, reluGradWasm } from '../relu-gradient';
import { makeBatchNorm, makeBinary, makeMean, makeSum } from './simd-kernels';
import { disposeAll, TO_NCHW, TO_NHWC, transpose, type ConvAttrs, type Pad } from './kernel-utils';

/**
 * Kernels that tfjs-backend-wasm 4.22 lacks for training convnets, or has only as a slow loop:
 * Conv2DBackpropFilter and both depthwise gradients are missing (a convnet cannot train on WASM
 * at all), Conv2DBackpropInput is a scalar C++ loop about ten times slower than the forward pass.
 * Ours compute on the backend's heap: the convolutions and the filter gradient as our own SIMD
 * loops (simd-conv.ts), the input gradient as convolutions, the rest through the package's
 * XNNPACK kernels where those are fast.
 */

const shape4 = (info: TensorInfo) => info.shape as [number, number, number, number];
const toNHWC = (s: readonly number[]) => TO_NHWC.map((a) => s[a] as number) as [number, number, number, number];

/** The explicit padding of an NCHW call, reordered for NHWC. */
function padNHWC(pad: Pad, nchw: boolean): Pad {
  return nchw && Array.isArray(pad) ? (TO_NHWC.map((a) => pad[a]) as backend_util.ExplicitPadding) : pad;
}

function info2d(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  a: ConvAttrs,
  nchw: boolean,
  depthwise: boolean,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    a.strides,
    a.dilations ?? 1,
    padNHWC(a.pad, nchw),
    a.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const nchw = a.dataFormat === 'NCHW';
  const x = nchw ? transpose(wasm, inputs.x as TensorInfo, TO_NHWC) : (inputs.x as TensorInfo);
  const dy = nchw ? transpose(wasm, inputs.dy as TensorInfo, TO_NHWC) : (inputs.dy as TensorInfo);
  const dW = convBackpropFilterNHWC(wasm, x, dy, info2d(shape4(x), a.filterShape, a, nchw, false));
  if (nchw) disposeAll(wasm, x, dy);
  return dW;
};

const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  const nchw = a.dataFormat === 'NCHW';
  const filter = inputs.filter as TensorInfo;
  const dy = nchw ? transpose(wasm, inputs.dy as TensorInfo, TO_NHWC) : (inputs.dy as TensorInfo);
  const inShape = nchw ? toNHWC(a.inputShape) : a.inputShape;
  const info = info2d(inShape, shape4(filter), a, nchw, false);
  const dx = convBackpropInputNHWC(wasm, { dy, filter, info, depthwise: false });
  if (!nchw) return dx;
  const out = transpose(wasm, dx, TO_NCHW);
  disposeAll(wasm, dy, dx);
  return out;
};

const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const x = inputs.x as TensorInfo;
  return depthwiseBackpropFilterNHWC(
    wasm,
    x,
    inputs.dy as TensorInfo,
    info2d(shape4(x), a.filterShape, a, false, true),
  );
};

const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  const filter = inputs.filter as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const info = info2d(a.inputShape, shape4(filter), a, false, true);
  return info.outChannels === info.inChannels
    ? convBackpropInputNHWC(wasm, { dy, filter, info, depthwise: true })
    : depthwiseBackpropInputNHWC(wasm, dy, filter, info);
};

/** Kernels the package lacks, or whose own version is much slower, with our replacements. */
const REPLACEMENTS: Readonly<Record<string, (original: KernelFunc | undefined) => KernelFunc>> = {
  Conv2DBackpropFilter: () => conv2DBackpropFilter,
  Conv2DBackpropInput: () => conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: () => depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: () => depthwiseBackpropInput,
  Conv2D: (original) => makeConvolution(required(original, 'Conv2D')),
  FusedConv2D: (original) => makeConvolution(required(original, 'FusedConv2D')),
  Slice: (original) => makeSlice(required(original, 'Slice')),
  Tile: (original) => makeTile(required(original, 'Tile')),
  SplitV: (original) => makeSplitV(required(original, 'SplitV')),
  Identity: (original) => makeAlias(required(original, 'Identity')),
  Cast: (original) => makeAlias(required(original, 'Cast')),
  Sum: (original) => makeSum(required(original, 'Sum')),
  Mean: (original) => makeMean(required(original, 'Mean')),
  Multiply: (original) => makeBinary(required(original, 'Multiply'), 'mul'),
  Add: (original) => makeBinary(required(original, 'Add'), 'add'),
  Sub: (original) => makeBinary(required(original, 'Sub'), 'sub'),
  RealDiv: (original) => makeBinary(required(original, 'RealDiv'), 'div'),
  FusedBatchNorm: (original) => makeBatchNorm(required(original, 'FusedBatchNorm')),
  // Our batch-norm op's own kernels (none in the package): its statistics and gradient in 4 passes.
  [BATCH_NORM_MOMENTS]: () => batchNormMoments,
  [BATCH_NORM_GRAD]: () => batchNormGrad,
  // ReLU's gradient in one pass (relu-gradient.ts registers it as Relu's gradient on 'wasm').
  [RELU_GRAD]: () => reluGradWasm,
};

function required(kernel: KernelFunc | undefined, name: string): KernelFunc {
  if (!kernel) throw new Error(`tfjs-backend-wasm has no ${name} kernel to fall back on`);
  return kernel;
}

/** The names of the kernels registered for 'wasm' by registerWasmTrainingKernels. */
export const WASM_TRAINING_KERNELS: readonly string[] = Object.keys(REPLACEMENTS);

const ours = new Set<KernelFunc>();

/**
 * Registers our kernels for the 'wasm' backend, in place of missing or slow ones (all of
 * WASM_TRAINING_KERNELS unless `only` names some, as benchmarks do to compare). The package's
 * kernel, where there is one, stays as the fallback for cases ours do not cover, and its setup
 * (which binds its WASM function when the backend starts) is kept. With Mean come our gradients of
 * Mean and Sum on 'wasm' (reduce-gradients.ts), with ConvScopeReluGrad ReLU's (relu-gradient.ts).
 * Safe to call more than once.
 */
export function registerWasmTrainingKernels(only: readonly string[] = WASM_TRAINING_KERNELS): void {
  if (only.includes('Mean')) registerReduceGradients('wasm');
  if (only.includes(RELU_GRAD)) registerReluGradient('wasm');
  for (const [kernelName, make] of Object.entries(REPLACEMENTS)) {
    if (!only.includes(kernelName)) continue;
    const existing = getKernel(kernelName, 'wasm');
    if (existing && ours.has(existing.kernelFunc)) continue;
    const kernelFunc = make(existing?.kernelFunc);
    ours.add(kernelFunc);
    if (existing) unregisterKernel(kernelName, 'wasm');
    const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc };
    if (existing?.setupFunc) config.setupFunc = existing.setupFunc;
    if (existing?.disposeFunc) config.disposeFunc = existing.disposeFunc;
    registerKernel(config);
  }
}
