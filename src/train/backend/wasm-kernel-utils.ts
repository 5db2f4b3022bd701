import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Small helpers for kernels that run on the WASM backend's own buffers: they call the backend's
 * registered (XNNPACK) kernels directly, never through tf ops, so nothing they make lands on the
 * gradient tape or in the engine's tensor count; every intermediate is disposed by hand.
 */

/** Runs the WASM backend's kernel `name` and returns its single output. */
export function callWasm(
  backend: BackendWasm,
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The WASM backend has no kernel ${name}`);
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

/** Frees intermediates (a reshape shares its input's buffer: disposing it only drops a reference). */
export function disposeAll(backend: BackendWasm, ...infos: readonly TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

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
