import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp } from './app';
import { useAppServer } from './harness';

const app = useAppServer();

type Report = { type: string; [key: string]: unknown };

/**
 * The layers ConvScope writes itself for TensorFlow.js (MultiHeadAttention, GRU with
 * reset_after in both directions, DepthToSpace/SpaceToDepth and element-wise TensorFlow ops) in
 * the page's real training worker: they train on WebGPU (software adapter) and on the CPU
 * backend, and the two agree step for step.
 */
const models: Record<string, Record<string, unknown>[]> = {
  sequence: [
    { name: 'x', type: 'Input', shape: [8, 6] },
    { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 4, inputs: ['x', 'x'] },
    { name: 'gru', type: 'GRU', units: 8, resetAfter: true, returnSequences: true },
    { name: 'bi', type: 'Bidirectional', layer: { type: 'GRU', units: 4 } },
    { name: 'out', type: 'Dense', units: 10, activation: 'softmax' },
  ],
  'TensorFlow ops': [
    { name: 'x', type: 'Input', shape: [8, 8, 4] },
    { name: 's2d', type: 'TensorFlowOp', op: 'SpaceToDepth', blockSize: 2 },
    { name: 'conv', type: 'Conv2D', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' },
    { name: 'd2s', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
    { name: 'half', type: 'TensorFlowOp', op: 'Mul', constant: 0.5 },
    { name: 'pool', type: 'GlobalAveragePooling2D' },
    { name: 'out', type: 'Dense', units: 10, activation: 'softmax' },
  ],
};

function trainInWorker(page: Page, backend: string, layers: Record<string, unknown>[]): Promise<Report[]> {
  // A string, so that the imports run in the page (served by Vite), not in the test.
  return page.evaluate(`(async () => {
    const { TrainerClient } = await import('/src/train/client.ts');
    const { parseProject } = await import('/src/io/project/format.ts');
    const { DEFAULT_CONFIG } = await import('/src/train/loop/config.ts');
    const read = parseProject({ format: 'convscope.model', version: 1, layers: ${JSON.stringify(layers)} });
    if (!read.ok) throw new Error(read.error);
    return await new Promise((resolve) => {
      const seen = [];
      const client = new TrainerClient((m) => {
        if (['backend', 'step', 'epoch', 'done', 'error'].includes(m.type)) seen.push(m);
        if (m.type === 'done' || m.type === 'error') {
          client.terminate();
          resolve(seen.map((m) => ({ ...m, samples: undefined, filters: undefined })));
        }
      });
      client.send({
        type: 'start',
        model: read.model,
        config: { ...DEFAULT_CONFIG, optimizer: 'adam', learningRate: 0.003, weightDecay: 0, epochs: 2, batchSize: 16, maxTrainSamples: 48, maxTestSamples: 32, augment: false },
        data: { dataset: 'synthetic' },
        backend: ${JSON.stringify(backend)},
        memoryBudget: 2 ** 30,
      });
    });
  })()`);
}

const losses = (run: Report[]) =>
  new Map(run.filter((m) => m.type === 'epoch').map((m) => [`epoch ${m['epoch']}`, m['trainLoss'] as number]));

describe('sequence layers and TensorFlow ops train in the page’s worker', () => {
  for (const [label, layers] of Object.entries(models)) {
    it(`${label}: WebGPU and CPU both train, with the same losses`, async () => {
      const { page } = await openApp(app.browser, app.url);
      const gpu = await trainInWorker(page, 'webgpu', layers);
      const cpu = await trainInWorker(page, 'cpu', layers);
      await page.close();
      for (const [run, name] of [
        [gpu, 'webgpu'],
        [cpu, 'cpu'],
      ] as const) {
        expect(run.find((m) => m.type === 'error')).toBeUndefined();
        expect(run[0]).toMatchObject({ type: 'backend', name });
        expect(run.filter((m) => m.type === 'epoch')).toHaveLength(2);
      }
      const [a, b] = [losses(gpu), losses(cpu)];
      for (const [k, x] of a) {
        const y = b.get(k) as number;
        expect(Number.isFinite(x), `${k}: webgpu ${x}`).toBe(true);
        expect(Math.abs(x - y), `${k}: webgpu ${x}, cpu ${y}`).toBeLessThan(1e-3);
      }
    }, 240_000);
  }
});
