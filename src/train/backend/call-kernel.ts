import { getBackend, getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';

/**
 * For kernels of our own that are built from a backend's registered kernels: those are called
 * directly, never through tf ops, so nothing they make lands on the gradient tape or in the
 * engine's tensor count, and every intermediate is disposed by hand.
 */

/**
 * Whether `backend` (the current one unless named) has kernel `name`: the ops with kernels of
 * ours (batch norm, add+ReLU, the loss, the optimizer's) run them there and their composites elsewhere.
 */
export function hasKernel(name: string, backend: string = getBackend()): boolean {
  return Boolean(getKernel(name, backend));
}

/** The backend's kernel `name`, run on `inputs` (a map, or a list for Concat); its first output. */
export function callKernel(
  backendName: string,
  backend: object,
  name: string,
  inputs: NamedTensorInfoMap | TensorInfo[],
  attrs: object = {},
): TensorInfo {
  const kernel = getKernel(name, backendName);
  if (!kernel) throw new Error(`The ${backendName} backend has no kernel ${name}`);
  const out = kernel.kernelFunc({ inputs: inputs as NamedTensorInfoMap, attrs: attrs as NamedAttrMap, backend });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

/** Frees intermediates (a reshape shares its input's buffer: disposing it only drops a reference). */
export function disposeAll(backend: { disposeData(dataId: object): unknown }, ...infos: readonly TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
