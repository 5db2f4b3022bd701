import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect } from 'vitest';
import { registerWebGpuTrainingKernels } from '../../../src/train/backend/webgpu/kernels';
import { installDawn, type DawnAdapter } from './dawn';

/**
 * The start of a WebGPU test file: Dawn's adapter in Node (SwiftShader unless `flags` ask for
 * another, e.g. ['backend=null']), and before the file's tests tfjs' WebGPU backend, `register`ed
 * (our training kernels unless told) and made current. Null where Dawn finds no adapter: the
 * file's checks are then skipped (describe.skipIf(!adapter)), with a warning naming `checks`.
 */
export async function startWebGpu(
  checks: string,
  { flags = [], register = registerWebGpuTrainingKernels }: { flags?: string[]; register?: () => void } = {},
): Promise<DawnAdapter | null> {
  const adapter = await installDawn(flags).catch(() => null);
  if (!adapter) console.warn(`${checks} skipped: Dawn found no adapter (apt-get install chromium)`);
  beforeAll(async () => {
    if (!adapter) return;
    await import('@tensorflow/tfjs-backend-webgpu');
    register();
    expect(await tf.setBackend('webgpu')).toBe(true);
  }, 60_000);
  return adapter;
}

/** `f`'s result and the compute dispatches (GPUComputePassEncoder.dispatchWorkgroups calls) it recorded. */
export function dispatchesDuring<T>(f: () => T): { result: T; dispatches: number } {
  const pass = (globalThis as unknown as Record<string, { prototype: Record<string, unknown> }>)[
    'GPUComputePassEncoder'
  ]!.prototype;
  const inner = pass['dispatchWorkgroups'] as (...a: unknown[]) => unknown;
  let dispatches = 0;
  pass['dispatchWorkgroups'] = function (this: unknown, ...args: unknown[]) {
    dispatches++;
    return inner.apply(this, args);
  };
  try {
    return { result: f(), dispatches };
  } finally {
    pass['dispatchWorkgroups'] = inner;
  }
}
