import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { parseProject } from '../../../src/io/project/format';
import { synthetic } from '../../../src/train/data/synthetic';
import { batcher } from '../../../src/train/load-data';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/train/loop/config';
import { train, type Batcher } from '../../../src/train/loop/train';
import { buildModel } from '../../../src/train/model/build';
import { withInputShape } from '../../../src/train/run-checks';

/**
 * The worker loop's own `train()` for several epochs (each with its evaluation) on the active
 * backend, with what the backend holds after every epoch: a step or an evaluation that leaves a
 * tensor or a GPU buffer behind makes these grow from epoch to epoch, and a long run then ends in
 * "out of memory" however small the model.
 *
 * The model is the tiny CNN of the fixtures, made 16×16×3 (a convolution with batch norm, a stride-2 ResNet
 * basic block with an option-A shortcut, pooling, dense), through the app's model
 * builder, so its batch-norm op and (on WebGPU) our kernels and cached constants are the ones run.
 */
const SHAPE = [16, 16, 3] as const;
export const BATCH = 4;
export const STEPS_PER_EPOCH = 5;
export const EPOCHS = 4;

export const tinyCnn = (() => {
  const read = parseProject(
    JSON.parse(readFileSync(new URL('../../fixtures/train/tiny-cnn.json', import.meta.url), 'utf8')),
  );
  if (!read.ok) throw new Error(read.error);
  return withInputShape(read.model, SHAPE);
})();

/** What the backend holds: tfjs-core's counts, and on WebGPU its buffer manager's. */
export interface Held {
  readonly tensors: number;
  readonly bytes: number;
  /** tfjs-backend-webgpu: bytes of buffers in use (tensors' and those waiting for the queue). */
  readonly gpuBytes?: number;
  /** … and of every buffer it made, the pooled free ones included. */
  readonly gpuAllocated?: number;
  readonly usedBuffers?: number;
  readonly freeBuffers?: number;
}

interface BufferManager {
  getNumUsedBuffers(): number;
  getNumFreeBuffers(): number;
}

export function held(): Held {
  const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  const manager = (tf.backend() as { bufferManager?: BufferManager }).bufferManager;
  return {
    tensors: memory.numTensors,
    bytes: memory.numBytes,
    ...(manager
      ? {
          gpuBytes: memory.numBytesInGPU,
          gpuAllocated: memory.numBytesAllocatedInGPU,
          usedBuffers: manager.getNumUsedBuffers(),
          freeBuffers: manager.getNumFreeBuffers(),
        }
      : {}),
  };
}

/**
 * Trains EPOCHS epochs and returns what is held after each (its evaluation done); `leak` makes
 * every training step leave one tensor behind (to show the check catches it).
 */
export async function heldAfterEpochs(leak = false): Promise<Held[]> {
  const built = buildModel(analyzeModel(tinyCnn), { seed: 1 });
  if (!built.ok) throw new Error(built.error);
  const data = synthetic({ shape: SHAPE, classes: 10, trainCount: BATCH * STEPS_PER_EPOCH, testCount: 8, seed: 5 });
  const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: EPOCHS, batchSize: BATCH, augment: false };
  const make = batcher(data, config.seed);
  const leaky: Batcher = (set, indices, augment) => {
    if (leak && set === data.train) tf.scalar(indices.length);
    return make(set, indices, augment);
  };
  const after: Held[] = [];
  try {
    const result = await train(
      built.model,
      data,
      config,
      leaky,
      { onStep: () => undefined, onEpoch: () => after.push(held()), proceed: async () => 'go' },
      false,
    );
    expect(result.epochs).toHaveLength(EPOCHS);
  } finally {
    built.model.dispose();
  }
  return after;
}

/** Free buffers the pool may hold beyond epoch 1's: a few more can wait for the queue at once. */
export const POOL_SLACK = 4;

/**
 * Every count held after the first epoch is what it was then: tensors, bytes, GPU buffers in use
 * and their bytes exactly. tfjs-backend-webgpu's pool of free buffers (and so the bytes it has
 * allocated) depends a little on timing, as buffers read back or waiting for the queue are
 * returned to it when the GPU is done with them: it may hold POOL_SLACK more, never more bytes
 * than 1% above epoch 1's.
 */
export function expectNoGrowth(after: readonly Held[]): void {
  const [first, ...later] = after;
  if (!first) throw new Error('no epoch');
  const inUse = ({ freeBuffers: _f, gpuAllocated: _a, ...rest }: Held) => rest;
  later.forEach((h, k) => {
    const epoch = `after epoch ${k + 2} against epoch 1`;
    expect(inUse(h), epoch).toEqual(inUse(first));
    if (h.freeBuffers === undefined || first.freeBuffers === undefined) return;
    expect(h.freeBuffers, `${epoch}: free buffers`).toBeLessThanOrEqual(first.freeBuffers + POOL_SLACK);
    expect(h.gpuAllocated, `${epoch}: bytes allocated`).toBeLessThanOrEqual((first.gpuAllocated ?? 0) * 1.01);
  });
}
