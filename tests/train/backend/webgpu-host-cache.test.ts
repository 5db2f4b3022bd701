import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hostCacheStats, patchBackend, PATCHED_VERSION } from '../../../src/train/backend/webgpu/host-cache';
import { Optimizer } from '../../../src/train/loop/optimizer';
import { expectMatchesCpu, runOn } from './compare';
import { conv2dGradients, RESNET20_CASES, tensor } from './conv-cases';
import { startWebGpu } from './webgpu-setup';

/**
 * host-cache.ts on tfjs-backend-webgpu in Node through Dawn (SwiftShader): the patch is on the
 * backend training uses, only for the package version it was written for, and a computation run
 * again on the reused uniform buffers and bind groups gives the same bits, equal to the CPU backend's.
 */
const adapter = await startWebGpu('WebGPU host-cache checks');

/** Several programs on several shapes: many distinct uniforms (shapes, strides, attributes). */
const mixed = () => {
  const out: tf.Tensor[] = [];
  for (const [n, c] of [
    [1, 3],
    [2, 5],
    [3, 16],
  ] as const) {
    const x = tensor([n, 4, 6, c], n * 10 + c);
    out.push(
      tf.add(x, tensor([c], c)),
      tf.mul(tf.relu(x), 0.5),
      tf.sum(x, [1, 2]),
      tf.slice(x, [0, 1, 2, 0], [n, 2, 3, c]),
    );
    out.push(
      tf.clipByValue(x, -0.25, 0.75),
      tf.concat([x, x], 3),
      tf.pad(x, [
        [0, 0],
        [1, 0],
        [0, 2],
        [0, 0],
      ]),
    );
  }
  return out;
};

describe.skipIf(!adapter)('WebGPU host cache', () => {
  it('is installed on the webgpu backend and reuses uniform buffers and bind groups across repeated work', async () => {
    await tf.setBackend('webgpu');
    const stats = hostCacheStats(tf.backend());
    expect(stats, 'the webgpu backend is not patched').toBeDefined();
    await runOn('webgpu', mixed);
    const before = { ...stats! };
    await runOn('webgpu', mixed);
    // The second run's uniforms are all the first run's: every dispatch reuses a buffer.
    expect(stats!.uniformHits - before.uniformHits).toBeGreaterThan(20);
    expect(stats!.uniformMisses).toBe(before.uniformMisses);
    // The pool hands the same buffers to the same work: its bind groups are the first run's.
    const bindGroups = stats!.bindGroupHits - before.bindGroupHits;
    expect(bindGroups).toBeGreaterThan(20);
    expect(stats!.bindGroupMisses - before.bindGroupMisses).toBeLessThan(bindGroups / 4);
  });

  it('keeps no uniform buffer for the optimizer step, whose learning rate changes every step', async () => {
    await tf.setBackend('webgpu');
    const pool = (tf.backend() as unknown as { bufferManager: { getNumUsedBuffers(): number } }).bufferManager;
    const w = tf.variable(tf.ones([64]));
    const optimizer = new Optimizer({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0 });
    const grads = { [w.name]: tf.onesLike(w) };
    const steps = async (from: number) => {
      for (let k = from; k < from + 10; k++) optimizer.apply(grads, [w], 0.1 / (k + 1));
      await w.data();
    };
    await steps(0);
    const used = pool.getNumUsedBuffers();
    await steps(10);
    // Ten new learning rates: no buffer kept for them (one each when they were cached).
    expect(pool.getNumUsedBuffers()).toBe(used);
    optimizer.dispose();
    tf.dispose([w, ...Object.values(grads)]);
  });

  it('gives every pipeline one bind-group layout object per index', async () => {
    await tf.setBackend('webgpu');
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const module = device.createShaderModule({
      code: '@group(0) @binding(0) var<storage, read_write> a: array<f32>; @compute @workgroup_size(1) fn main() { a[0] = 1.0; }',
    });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    expect(pipeline.getBindGroupLayout(0)).toBe(pipeline.getBindGroupLayout(0));
  });

  it('gives the same bits on reused uniform buffers and bind groups as on new ones, equal to the cpu backend', async () => {
    const first = await runOn('webgpu', mixed);
    const again = await runOn('webgpu', mixed);
    expect(again.values).toEqual(first.values);
    await expectMatchesCpu('webgpu', mixed, 'mixed programs on reused uniforms');
    // Convolution gradients of ResNet-20's shapes, interleaved: distinct uniforms must not mix.
    for (const c of RESNET20_CASES) await expectMatchesCpu('webgpu', conv2dGradients(c), JSON.stringify(c));
  }, 120_000);

  it('patches nothing for another package version, nor an object without the internals', () => {
    const backend = tf.findBackend('webgpu') as unknown as { makeUniforms: unknown };
    const fake = { ...backend, makeUniforms: backend.makeUniforms };
    expect(patchBackend(fake, '4.21.0')).toBe(false);
    expect(fake.makeUniforms).toBe(backend.makeUniforms);
    expect(hostCacheStats(fake)).toBeUndefined();
    expect(patchBackend({}, PATCHED_VERSION)).toBe(false);
  });
});
