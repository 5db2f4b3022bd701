import * as tf from '@tensorflow/tfjs';
import { version } from '@tensorflow/tfjs-backend-webgpu/dist/version';

/**
 * Host work per dispatch, cut by caching what repeats from one training step to the next.
 * tfjs-backend-webgpu 4.22, for every program run (recordAndSubmit) and every dispatch of ours
 * (dispatch.ts):
 *  - makes a uniform buffer (makeUniforms: a pooled buffer, a queue.writeBuffer, its release after
 *    the submit), although a step's uniforms (shapes, strides, attributes) repeat every step;
 *  - asks the pipeline for its bind-group layout (pipeline.getBindGroupLayout(0)), a new object
 *    from Dawn each time.
 * In CPU profiles of the ResNet-20 step on Dawn's null adapter, writeBuffer, the buffer pool's
 * bookkeeping and getBindGroupLayout were together about 10% of the host time. This patch, applied
 * to the backend instance when it is made (installHostCache):
 *  - makeUniforms keeps one uniform buffer per distinct content, written once and never again, so
 *    sharing it between dispatches is safe (at most UNIFORM_LIMIT; past that the package's path);
 *  - each compute pipeline the device makes returns one layout object per bind-group index.
 * The same bytes reach the same bindings, so results are unchanged. Caching the bind groups
 * themselves did not pay: the pooled buffers a step binds differ from step to step (≈ 10–16% hits).
 * Written for tfjs-backend-webgpu 4.22.0: with another version nothing is patched.
 */

export const PATCHED_VERSION = '4.22.0';
const UNIFORM_LIMIT = 4096;

type UniformData = { type: string; data: number[] };
type Binding = GPUBindingResource;

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) this touches. */
interface Backend {
  readonly device: GPUDevice;
  makeUniforms(u: UniformData[]): Binding;
  uniformPendingDisposal: GPUBuffer[];
}

/** What the patch did on one backend: hits and misses, for tests and benchmarks. */
export interface HostCacheStats {
  uniformHits: number;
  uniformMisses: number;
}

const patched = new WeakMap<object, HostCacheStats>();

/** The stats of a patched backend; undefined when it is not patched. */
export function hostCacheStats(backend: object): HostCacheStats | undefined {
  return patched.get(backend);
}

/** The uniforms' content as a string (−0 marked: its bytes differ from 0's). */
function uniformKey(u: readonly UniformData[]): string {
  let key = '';
  for (const d of u) {
    key += `${d.type[0]}${d.data.join(',')};`;
    if (d.data.some((x) => Object.is(x, -0))) key += `-0@${d.data.map((x) => Object.is(x, -0))};`;
  }
  return key;
}

function cacheUniforms(backend: Backend, stats: HostCacheStats): void {
  const original = backend.makeUniforms.bind(backend);
  const cache = new Map<string, Binding>();
  backend.makeUniforms = (u) => {
    const key = uniformKey(u);
    const hit = cache.get(key);
    if (hit) {
      stats.uniformHits++;
      return hit;
    }
    stats.uniformMisses++;
    const made = original(u) as GPUBufferBinding;
    // Kept: taken off the list of buffers the package releases after the next submit.
    if (cache.size < UNIFORM_LIMIT && backend.uniformPendingDisposal.at(-1) === made.buffer) {
      backend.uniformPendingDisposal.pop();
      cache.set(key, made);
    }
    return made;
  };
}

function cacheLayouts(device: GPUDevice): void {
  const memo = (pipeline: GPUComputePipeline) => {
    const inner = pipeline.getBindGroupLayout.bind(pipeline);
    const layouts = new Map<number, GPUBindGroupLayout>();
    pipeline.getBindGroupLayout = (index) => {
      let layout = layouts.get(index);
      if (!layout) layouts.set(index, (layout = inner(index)));
      return layout;
    };
    return pipeline;
  };
  const sync = device.createComputePipeline.bind(device);
  const later = device.createComputePipelineAsync.bind(device);
  device.createComputePipeline = (d) => memo(sync(d));
  device.createComputePipelineAsync = async (d) => memo(await later(d));
}

/** Whether this package version's internals are the ones the patch was written for. */
export function patchApplies(packageVersion: string, backend: object): boolean {
  const b = backend as Partial<Backend>;
  return (
    packageVersion === PATCHED_VERSION &&
    typeof b.makeUniforms === 'function' &&
    Array.isArray(b.uniformPendingDisposal) &&
    typeof b.device?.createBindGroup === 'function'
  );
}

/** Which caches to install (all by default; the bench can compare). */
export interface HostCacheParts {
  readonly uniforms: boolean;
  readonly layouts: boolean;
}
const ALL: HostCacheParts = { uniforms: true, layouts: true };

/** Patches one WebGPU backend instance (once); returns whether it is patched. */
export function patchBackend(backend: object, packageVersion = version, parts = ALL): boolean {
  if (patched.has(backend)) return true;
  if (!patchApplies(packageVersion, backend)) return false;
  const b = backend as Backend;
  const stats: HostCacheStats = { uniformHits: 0, uniformMisses: 0 };
  if (parts.uniforms) cacheUniforms(b, stats);
  if (parts.layouts) cacheLayouts(b.device);
  patched.set(backend, stats);
  return true;
}

/**
 * Patches the 'webgpu' backend: the instance if tfjs has made it, else each one its factory makes.
 * Call after importing @tensorflow/tfjs-backend-webgpu; safe to call more than once.
 */
export function installHostCache(parts = ALL): void {
  const existing = tf.engine().registry['webgpu'];
  if (existing) {
    patchBackend(existing, version, parts);
    return;
  }
  const factory = tf.findBackendFactory('webgpu');
  if (!factory || wrappedFactories.has(factory)) return;
  const priority = tf.engine().registryFactory['webgpu']?.priority ?? 3;
  const wrapped = async () => {
    const backend = await factory();
    patchBackend(backend, version, parts);
    return backend;
  };
  wrappedFactories.add(wrapped);
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', wrapped, priority);
}
const wrappedFactories = new WeakSet<object>();
