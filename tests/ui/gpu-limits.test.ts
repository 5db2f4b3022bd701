import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module (it asks the adapter once a page) with `gpu` as navigator.gpu. */
async function probeWith(gpu: unknown) {
  vi.resetModules();
  vi.stubGlobal('navigator', gpu === undefined ? {} : { gpu });
  const { probeGpuLimits } = await import('../../src/ui/train/gpu-limits');
  return probeGpuLimits;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('GPU limits for the batch suggestion', () => {
  it("reads the adapter's buffer limits, asking once", async () => {
    const requestAdapter = vi.fn(async () => ({
      limits: { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28, maxComputeWorkgroupSizeX: 256 },
    }));
    const probe = await probeWith({ requestAdapter });
    expect(await probe()).toEqual({ maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 });
    await probe();
    expect(requestAdapter).toHaveBeenCalledTimes(1);
  });

  it('fails quietly: no WebGPU, no adapter, an error, or an adapter that never answers', async () => {
    expect(await (await probeWith(undefined))()).toBeNull();
    expect(await (await probeWith({ requestAdapter: async () => null }))()).toBeNull();
    const failing = await probeWith({
      requestAdapter: async () => {
        throw new Error('GPU process crashed');
      },
    });
    expect(await failing()).toBeNull();
    vi.useFakeTimers();
    const hanging = await probeWith({ requestAdapter: () => new Promise(() => {}) });
    const answer = hanging();
    await vi.advanceTimersByTimeAsync(5000);
    expect(await answer).toBeNull();
  });
});
