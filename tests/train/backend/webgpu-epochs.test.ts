import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/train/backend/choose';
import { constantCount } from '../../../src/train/backend/webgpu/constants';
import { batcher, loadData } from '../../../src/train/load-data';
import { DEFAULT_CONFIG } from '../../../src/train/loop/config';
import { buildModel } from '../../../src/train/model/build';
import type { FromWorker } from '../../../src/train/protocol';
import { Session } from '../../../src/train/session';
import { BATCH, expectNoGrowth, held, heldAfterEpochs, tinyCnn } from '../loop/epoch-memory';
import { expectPauseAndStopBetweenSteps } from '../session-controls';
import { startWebGpu } from './webgpu-setup';

/**
 * A run on WebGPU (Dawn on SwiftShader in Node) leaves nothing behind from epoch to epoch: the
 * worker loop's `train()`, several epochs each with its evaluation, holds as many tensors, GPU
 * buffers (tfjs-backend-webgpu's buffer manager: in use and pooled) and GPU bytes after every
 * epoch as after the first. A session's run frees the GPU scalars it cached (constants.ts); and
 * pause and stop, posted while steps are queued on the GPU, act before the next step.
 */
const adapter = await startWebGpu('WebGPU epoch checks');

describe.skipIf(!adapter)('WebGPU across epochs', () => {
  it('holds the same tensors, GPU buffers and GPU bytes after every epoch', async () => {
    const after = await heldAfterEpochs();
    expect(after[0]!.usedBuffers).toBeGreaterThan(0);
    expectNoGrowth(after);
  }, 300_000);

  it('a run in the worker’s session keeps no cached GPU scalar once it ends, and holds no more after a second', async () => {
    const messages: FromWorker[] = [];
    const session = new Session((m) => messages.push(m), {
      chooseBackend: () => chooseBackend('webgpu'),
      loadData,
      buildModel,
      batcher,
    });
    const start = {
      type: 'start',
      model: tinyCnn,
      config: {
        ...DEFAULT_CONFIG,
        epochs: 1,
        batchSize: BATCH,
        augment: false,
        maxTrainSamples: 3 * BATCH,
        maxTestSamples: 8,
      },
      data: { dataset: 'synthetic' },
      backend: 'webgpu',
      memoryBudget: 2 ** 30,
    } as const;
    await session.handle(start);
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(messages.filter((m) => m.type === 'backend').map((m) => m.name)).toEqual(['webgpu']);
    expect(messages.filter((m) => m.type === 'done')).toHaveLength(1);
    expect(constantCount()).toBe(0);
    const inUse = () => {
      const { tensors, bytes, usedBuffers, gpuBytes } = held();
      return { tensors, bytes, usedBuffers, gpuBytes };
    };
    const first = inUse();
    await session.handle(start);
    expect(constantCount()).toBe(0);
    // The second run's model replaced the first's: nothing more is in use. (The pool of free
    // buffers may hold a few more: how many wait for the queue at once depends on timing.)
    expect(inUse()).toEqual(first);
  }, 300_000);

  it('pause and stop posted while steps are queued on the GPU act before the next step', async () => {
    await expectPauseAndStopBetweenSteps(tinyCnn, 'webgpu');
  }, 300_000);
});
