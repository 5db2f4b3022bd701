import type { backend_util, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel } from '../call-kernel';

export { disposeAll } from '../call-kernel';

/**
 * Small helpers for kernels that run on the WASM backend's own buffers (through its registered
 * XNNPACK kernels, as call-kernel.ts says).
 */

/** Runs the WASM backend's kernel `name` and returns its single output. */
export const callWasm = (backend: BackendWasm, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}) =>
  callKernel('wasm', backend, name, inputs, attrs);

/**
 * A Float32Array over a tensor's bytes in the WASM heap. Take it after the last allocation: a
 * `makeOutput` may grow the heap, which detaches every view taken before.
 */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A new float32 tensor on the WASM heap filled with zeros (malloc does not clear memory). */
export function zeros(backend: BackendWasm, shape: readonly number[]): TensorInfo {
  const out = backend.makeOutput([...shape], 'float32');
  heapF32(backend, out).fill(0);
  return out;
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: readonly number[]): TensorInfo {
  return callWasm(backend, 'Reshape', { x }, { shape: [...shape] });
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: readonly number[]): TensorInfo {
  return callWasm(backend, 'Transpose', { x }, { perm: [...perm] });
}

/** NCHW ⇄ NHWC, for the kernels' `dataFormat: 'NCHW'` (XNNPACK computes channels-last only). */
export const TO_NHWC = [0, 2, 3, 1] as const;
export const TO_NCHW = [0, 3, 1, 2] as const;

export type Pad = backend_util.ExplicitPadding | 'valid' | 'same' | number;

/** The attributes of a convolution kernel and of its gradients, as tfjs passes them. */
export interface ConvAttrs {
  readonly strides: number | [number, number];
  readonly pad: Pad;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dilations?: number | [number, number];
}
