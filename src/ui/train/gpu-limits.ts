import { useEffect, useState } from 'react';

/** The WebGPU adapter's buffer limits (bytes): what tfjs asks its device for. */
export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

type Gpu = { requestAdapter(): Promise<{ readonly limits: GpuLimits } | null> };

/** An adapter that has not answered by then is taken as none (some drivers hang). */
const PROBE_MS = 5000;

let probe: Promise<GpuLimits | null> | null = null;

/**
 * The limits of the adapter `navigator.gpu.requestAdapter()` gives (the one tfjs-backend-webgpu
 * takes, requesting its device with these same limits), asked once a page; null without WebGPU,
 * without an adapter, on an error or after PROBE_MS. Never throws.
 */
export function probeGpuLimits(): Promise<GpuLimits | null> {
  probe ??= (async () => {
    try {
      const gpu = (globalThis.navigator as { gpu?: Gpu } | undefined)?.gpu;
      if (!gpu) return null;
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), PROBE_MS));
      const adapter = await Promise.race([gpu.requestAdapter(), timeout]);
      if (!adapter) return null;
      const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
      return { maxStorageBufferBindingSize, maxBufferSize };
    } catch {
      return null;
    }
  })();
  return probe;
}

/** The adapter's limits once known (null until then, and where there is no WebGPU). */
export function useGpuLimits(): GpuLimits | null {
  const [limits, setLimits] = useState<GpuLimits | null>(null);
  useEffect(() => {
    let live = true;
    void probeGpuLimits().then((found) => {
      if (live) setLimits(found);
    });
    return () => {
      live = false;
    };
  }, []);
  return limits;
}
