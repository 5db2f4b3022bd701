import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/train/backend/wasm/kernels';
import { registerWebGpuTrainingKernels } from '../../src/train/backend/webgpu/kernels';
import { BATCH, resnetStep, timeSteps, webGpu } from './train-step';

/**
 * `npm run bench:train -- --profile [wasm|cpu|webgpu]`: where one ResNet-20 training step's time
 * goes, per kernel (see train.bench.ts).
 */

/** Wraps every kernel of `backend` with an exclusive-time counter; returns the table. */
function instrument(backend: string): { on: (v: boolean) => void; stats: Map<string, { n: number; ms: number }> } {
  const stats = new Map<string, { n: number; ms: number }>();
  const stack: number[] = [];
  let enabled = false;
  for (const k of tf.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, backend);
    const kernelFunc: tf.KernelFunc = (args) => {
      if (!enabled) return inner(args);
      const t0 = performance.now();
      stack.push(0);
      const out = inner(args);
      const children = stack.pop() as number;
      const dt = performance.now() - t0;
      if (stack.length) stack[stack.length - 1] = (stack[stack.length - 1] as number) + dt;
      const s = stats.get(k.kernelName) ?? { n: 0, ms: 0 };
      stats.set(k.kernelName, { n: s.n + 1, ms: s.ms + dt - children });
      return out;
    };
    tf.registerKernel({ ...k, kernelFunc });
  }
  return { on: (v) => (enabled = v), stats };
}

/**
 * WebGPU runs kernels asynchronously, so their time on the GPU comes from tf.profile (timestamp
 * queries): milliseconds per kernel name, and the slowest kernels with their shapes.
 */
async function profileWebGpu(): Promise<void> {
  const adapter = await webGpu();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!process.argv.includes('--package')) registerWebGpuTrainingKernels();
  await tf.setBackend('webgpu');
  const { train } = resnetStep();
  const wall = await timeSteps(3, train);
  const info = await tf.profile(train);
  const byName = new Map<string, { n: number; ms: number }>();
  const each: { name: string; ms: number; shapes: string }[] = [];
  for (const k of info.kernels) {
    const ms = Number(await k.kernelTimeMs) || 0;
    const s = byName.get(k.name) ?? { n: 0, ms: 0 };
    byName.set(k.name, { n: s.n + 1, ms: s.ms + ms });
    each.push({ name: k.name, ms, shapes: `${JSON.stringify(k.inputShapes)} → ${JSON.stringify(k.outputShapes)}` });
  }
  const gpu = [...byName.values()].reduce((a, s) => a + s.ms, 0);
  console.log(`ResNet-20 batch ${BATCH} training step, WebGPU on ${adapter.name}`);
  console.log(
    `wall ${(wall[2] as number).toFixed(1)} ms/step; GPU time in kernels ${gpu.toFixed(1)} ms; ${info.kernels.length} kernels`,
  );
  for (const [k, s] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
    console.log(`${k.padEnd(28)} ${String(s.n).padStart(6)} ${s.ms.toFixed(2).padStart(9)} ms`);
  }
  console.log('slowest kernels:');
  for (const e of each.sort((a, b) => b.ms - a.ms).slice(0, 12))
    console.log(`${e.ms.toFixed(2).padStart(8)} ms ${e.name} ${e.shapes}`);
}

export async function profile(backend: string): Promise<void> {
  if (backend === 'webgpu') return profileWebGpu();
  if (backend === 'wasm') registerWasmTrainingKernels();
  await tf.setBackend(backend);
  const { on, stats } = instrument(backend);
  const { train } = resnetStep();
  const steps = backend === 'cpu' ? 1 : 5;
  await timeSteps(2, train);
  on(true);
  const total = (await timeSteps(steps, train)).reduce((a, b) => a + b, 0) / steps;
  on(false);
  const rows = [...stats].map(([k, s]) => ({ k, n: s.n / steps, ms: s.ms / steps })).sort((a, b) => b.ms - a.ms);
  const inKernels = rows.reduce((a, r) => a + r.ms, 0);
  console.log(
    `ResNet-20 batch ${BATCH} training step on ${backend}: ${total.toFixed(1)} ms (${((BATCH / total) * 1000).toFixed(1)} img/s)`,
  );
  console.log(`${'kernel'.padEnd(28)} ${'calls'.padStart(6)} ${'ms'.padStart(8)} ${'share'.padStart(6)}`);
  for (const r of rows.filter((r) => r.ms >= 0.5)) {
    console.log(
      `${r.k.padEnd(28)} ${String(r.n).padStart(6)} ${r.ms.toFixed(1).padStart(8)} ${((100 * r.ms) / total).toFixed(1).padStart(5)}%`,
    );
  }
  const calls = rows.reduce((a, r) => a + r.n, 0);
  console.log(
    `${'(other kernels)'.padEnd(28)} ${''.padStart(6)} ${rows
      .filter((r) => r.ms < 0.5)
      .reduce((a, r) => a + r.ms, 0)
      .toFixed(1)
      .padStart(8)}`,
  );
  console.log(
    `${'(outside kernels: tape, JS)'.padEnd(28)} ${''.padStart(6)} ${(total - inKernels).toFixed(1).padStart(8)} ${((100 * (total - inKernels)) / total).toFixed(1).padStart(5)}%`,
  );
  console.log(`${calls} kernel calls per step`);
}
