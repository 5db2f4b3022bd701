import * as tf from '@tensorflow/tfjs';
import { version } from '@tensorflow/tfjs-backend-webgpu/dist/version';

/**
 * Host work per dispatch, cut by caching what repeats from one training step to the next.
 * tfjs-backend-webgpu 4.22, for every program run (recordAndSubmit) and every dispatch of ours
 * (dispatch.ts):
 *  - makes a uniform buffer (makeUniforms: a pooled buffer, a queue.writeBuffer, its release after
 *    the submit), although a step's uniforms (shapes, strides, attributes) repeat every step;
 *  - asks the pipeline for its bind-group layout (pipeline.getBindGroupLayout(0)), a new object
 *    from Dawn each time;
 *  - makes a bind group (device.createBindGroup, the largest native cost: about a fifth of the
 *    host time in CPU profiles of the ResNet-20 step on Dawn's null adapter).
 * This patch, applied to the backend instance when it is made (installHostCache):
 *  - makeUniforms keeps one uniform buffer per distinct content, written once and never again, so
 *    sharing it between dispatches is safe (at most UNIFORM_LIMIT; past that the package's path);
 *    uniforms marked VOLATILE (a learning rate, new every step) are made as the package does and
 *    not kept, or each step would leave a buffer behind;
 *  - each compute pipeline the device makes returns one layout object per bind-group index;
 *  - the buffer pool hands out the oldest free buffer of a size (the package: the last freed), so
 *    a step binds the same buffers as an earlier step did, and createBindGroup returns the bind
 *    group made before for the same layout and buffers (about 75% of them in a training step;
 *    with the package's pool order only 10–16%). A destroyed buffer is never bound again, so its
 *    entries only wait for the cache to be cleared (at BIND_GROUP_LIMIT).
 * The same bytes reach the same bindings and every program writes its whole output, so results
 * are unchanged (which pooled buffer a tensor gets never mattered to them).
 * Written for tfjs-backend-webgpu 4.22.0: with another version nothing is patched.
 */

export const PATCHED_VERSION = '4.22.0';
const UNIFORM_LIMIT = 4096;
const BIND_GROUP_LIMIT = 8192;

type UniformData = { type: string; data: number[] };

/** Marks a uniform list whose content changes with every call: not kept (see above). */
export const VOLATILE: unique symbol = Symbol('uniforms that change every call');
type Binding = GPUBindingResource;

/** The parts of tfjs-backend-webgpu's BufferManager (4.22) this touches. */
interface BufferManager {
  readonly freeBuffers: Map<string, GPUBuffer[]>;
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GPUBuffer;
  releaseBuffer(buffer: GPUBuffer, reuse?: boolean): void;
}

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) this touches. */
interface Backend {
  readonly device: GPUDevice;
  readonly bufferManager: BufferManager;
  makeUniforms(u: UniformData[]): Binding;
  uniformPendingDisposal: GPUBuffer[];
}

/** What the patch did on one backend: hits and misses, for tests and benchmarks. */
export interface HostCacheStats {
  uniformHits: number;
  uniformMisses: number;
  bindGroupHits: number;
  bindGroupMisses: number;
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
    if ((u as { [VOLATILE]?: boolean })[VOLATILE]) return original(u);
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

/** One number per object, in order of first sight. */
function identities(): (o: object) => number {
  const ids = new WeakMap<object, number>();
  let next = 0;
  return (o) => {
    let id = ids.get(o);
    if (id === undefined) ids.set(o, (id = ++next));
    return id;
  };
}

/**
 * The pool hands out, of the free buffers of a size and usage, the one made first (the package:
 * the one freed last). A step then gets the same buffers as the step before it had (or the one
 * before that: a variable's new value and its old one take turns), so its bind groups repeat.
 */
function orderPool(pool: BufferManager, id: (o: object) => number): void {
  const acquire = pool.acquireBuffer.bind(pool);
  const release = pool.releaseBuffer.bind(pool);
  const listOf = new WeakMap<GPUBuffer, string>();
  pool.acquireBuffer = (size, usage, mappedAtCreation, reuse) => {
    const buffer = acquire(size, usage, mappedAtCreation, reuse);
    if (!listOf.has(buffer)) {
      listOf.set(buffer, `${size}_${usage}`); // the package's getBufferKey
      // Its release reads both back from the buffer: through Dawn's native getters in Node, a
      // most of the release's own time in a CPU profile. Neither ever changes (WebGPU: immutable).
      Object.defineProperties(buffer, { size: { value: size }, usage: { value: usage } });
    }
    return buffer;
  };
  pool.releaseBuffer = (buffer, reuse) => {
    release(buffer, reuse);
    const list = pool.freeBuffers.get(listOf.get(buffer) ?? '');
    if (!list || list.at(-1) !== buffer) return;
    // Kept in decreasing order of identity, so pop() takes the oldest buffer.
    const mine = id(buffer);
    let i = list.length - 1;
    while (i > 0 && id(list[i - 1]!) < mine) {
      list[i] = list[i - 1]!;
      i--;
    }
    list[i] = buffer;
  };
}

function cacheBindGroups(device: GPUDevice, stats: HostCacheStats, id: (o: object) => number): void {
  const cache = new Map<string, GPUBindGroup>();
  const original = device.createBindGroup.bind(device);
  device.createBindGroup = (d) => {
    let key = `${id(d.layout)}`;
    for (const e of d.entries) {
      const r = e.resource as GPUBufferBinding;
      if (!(r.buffer instanceof GPUBuffer)) return original(d); // textures, samplers: not cached
      key += `|${e.binding}:${id(r.buffer)}:${r.offset ?? 0}:${r.size ?? ''}`;
    }
    const hit = cache.get(key);
    if (hit) {
      stats.bindGroupHits++;
      return hit;
    }
    stats.bindGroupMisses++;
    if (cache.size >= BIND_GROUP_LIMIT) cache.clear();
    const made = original(d);
    cache.set(key, made);
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
    b.bufferManager?.freeBuffers instanceof Map &&
    typeof b.device?.createBindGroup === 'function'
  );
}

/** Which caches to install (all by default; the bench can compare). */
export interface HostCacheParts {
  readonly uniforms: boolean;
  readonly layouts: boolean;
  /** Bind groups, with the pool ordered so that they repeat. */
  readonly bindGroups: boolean;
}
const ALL: HostCacheParts = { uniforms: true, layouts: true, bindGroups: true };

/** Patches one WebGPU backend instance (once); returns whether it is patched. */
export function patchBackend(backend: object, packageVersion = version, parts = ALL): boolean {
  if (patched.has(backend)) return true;
  if (!patchApplies(packageVersion, backend)) return false;
  const b = backend as Backend;
  const stats: HostCacheStats = { uniformHits: 0, uniformMisses: 0, bindGroupHits: 0, bindGroupMisses: 0 };
  if (parts.uniforms) cacheUniforms(b, stats);
  if (parts.layouts || parts.bindGroups) cacheLayouts(b.device);
  if (parts.bindGroups) {
    const id = identities();
    orderPool(b.bufferManager, id);
    cacheBindGroups(b.device, stats, id);
  }
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
