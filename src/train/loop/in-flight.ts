import * as tf from '@tensorflow/tfjs';

/** Steps queued on the GPU and not yet done, at most, before the loop queues another. */
export const MAX_IN_FLIGHT = 2;

/**
 * Keeps the loop at most MAX_IN_FLIGHT steps ahead of the GPU. Steps are queued without reading
 * their results back (progress.ts); where the GPU is slower than the host (a software adapter, a
 * small laptop GPU) the host would otherwise queue every step it can make before the next report
 * is due, and that report's readback, a pause or a stop then waits for all of them: on
 * SwiftShader a report came once in 6 s. A fence (the queue's onSubmittedWorkDone) after each
 * step is no readback: nothing is copied or mapped.
 *
 * `fence` submits what is queued and resolves when the GPU has done it; null where the backend
 * computes as it is called (CPU, WASM) or has no queue to wait on.
 */
export class InFlight {
  private readonly pending: Promise<unknown>[] = [];

  constructor(
    private readonly fence: () => Promise<unknown> | null = gpuFence,
    private readonly max = MAX_IN_FLIGHT,
  ) {}

  /** After a step is queued: waits until no more than `max` steps are unfinished. */
  async queued(): Promise<void> {
    const done = this.fence();
    if (!done) return;
    this.pending.push(done);
    while (this.pending.length > this.max) await this.pending.shift();
  }
}

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) a fence needs. */
interface Queueing {
  readonly device: GPUDevice;
  readonly commandEncoder: GPUCommandEncoder | null;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

function gpuFence(): Promise<unknown> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as Queueing;
  // The package defers its commands (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE): submit them first.
  if (backend.commandEncoder) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
  return backend.device.queue.onSubmittedWorkDone();
}
