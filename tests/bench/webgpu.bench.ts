/**
 * `npm run -s bench:webgpu [-- --json] [--steps 102] [--batch 64]`: the host cost of the tab's
 * ResNet-20 (option A, the preset) training step on tfjs' WebGPU backend, in Node through Dawn on
 * its null adapter (every WebGPU call, no GPU work), so it measures the same on any machine.
 *
 * The steps are the worker's own: src/train/loop/train.ts `train` with the recipe's optimizer
 * (SGD, Nesterov, weight decay), batch norm and loss, on synthetic CIFAR-sized batches made
 * beforehand (no augmentation, no evaluation). Dispatches and readbacks are counted on Dawn's API
 * itself: GPUComputePassEncoder.dispatchWorkgroups(Indirect) and GPUBuffer.mapAsync, wrapped
 * before tfjs gets its device. Host time per step is the time between the loop's successive
 * `proceed` calls; the first WARMUP steps (pipeline compilation) are left out of the medians.
 * V8 optimises the step's JavaScript over its first few dozen steps (a 22-step run's median is
 * about twice the steady one), and an epoch is hundreds of steps, so the default is 102 steps; the
 * table also gives the median of the first 20 timed steps.
 *
 * `--json` prints one line: {adapter, batch, steps, dispatchesPerStep, readbacksPerStep,
 * hostMsPerStep}. Without it, a table; and where VK_ICD_FILENAMES names a Vulkan driver, the
 * same steps are then timed on it in a second process (`--vulkan`). `--programs` adds where the
 * dispatches go: tfjs-backend-webgpu's programs per step by name, ours (batch norm…) as one row.
 * To compare host-side settings: `--host-cache=` (see hostCacheParts), `--submit-batch N`
 * (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE). The table adds the process's CPU ms per step (all threads),
 * which a loaded machine disturbs less than the wall time.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets/index';
import { hostCacheStats } from '../../src/train/backend/webgpu/host-cache';
import { endsInSoftmax } from '../../src/train/run-checks';
import { registerWebGpuTrainingKernels } from '../../src/train/backend/webgpu/kernels';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/train/loop/config';
import { train, type Batch } from '../../src/train/loop/train';
import { buildModel } from '../../src/train/model/build';
import type { Dataset, ImageSet } from '../../src/train/types';
import { installDawn } from '../train/backend/dawn';
import { argValue, median } from './train-step';

const WARMUP = 2;
const STEPS = Math.max(WARMUP + 1, argValue('--steps', 102));
/** Timed steps the table's "first steps" median covers (V8 still optimising). */
const EARLY = 20;
// Dawn's null device caps its memory: batch 64's activations overflow it (its buffers then go invalid).
const BATCH = argValue('--batch', process.argv.includes('--vulkan') ? 64 : 16);
const json = process.argv.includes('--json');
const vulkan = process.argv.includes('--vulkan');
/** The Vulkan driver the caller named (installDawn names SwiftShader itself when none is). */
const namedDriver = process.env['VK_ICD_FILENAMES'];
const programs = process.argv.includes('--programs');

/**
 * `--host-cache=ulb` (the default) installs host-cache.ts's uniform (u), bind-group-layout (l) and
 * bind-group (b) caches; `--host-cache=` none of them, to compare.
 */
function hostCacheParts() {
  const asked = process.argv.find((a) => a.startsWith('--host-cache='))?.slice('--host-cache='.length) ?? 'ulb';
  return { uniforms: asked.includes('u'), layouts: asked.includes('l'), bindGroups: asked.includes('b') };
}

/** Calls of the wrapped Dawn methods since the start. */
const calls = { dispatches: 0, readbacks: 0, uploads: 0, passes: 0 };

type Methods = { prototype: Record<string, (...a: unknown[]) => unknown> };

/** Counts calls of `name` on `type`'s objects in `calls[counter]`. */
function count(type: Methods, name: string, counter: keyof typeof calls): void {
  const inner = type.prototype[name] as (...a: unknown[]) => unknown;
  type.prototype[name] = function (this: unknown, ...args: unknown[]) {
    calls[counter]++;
    return inner.apply(this, args);
  };
}

function countDawnCalls(globals: Record<string, unknown>): void {
  count(globals['GPUCommandEncoder'] as Methods, 'beginComputePass', 'passes');
  // Every upload writes a new buffer mapped at creation (its destination, or a staging buffer).
  const device = (globals['GPUDevice'] as Methods).prototype;
  const create = device['createBuffer']!;
  device['createBuffer'] = function (this: unknown, d: unknown) {
    if ((d as GPUBufferDescriptor).mappedAtCreation) calls.uploads++;
    return create.call(this, d);
  };
  for (const name of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect'])
    count(globals['GPUComputePassEncoder'] as Methods, name, 'dispatches');
  count(globals['GPUBuffer'] as Methods, 'mapAsync', 'readbacks');
}

/** CIFAR-sized random images: the bench's batcher hands out ready batches, so data costs nothing. */
function dataset(count: number): Dataset {
  const set: ImageSet = { images: new Uint8Array(count * 32 * 32 * 3), labels: new Uint8Array(count), count };
  return {
    id: 'synthetic',
    name: 'random',
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    shape: [32, 32, 3],
    train: set,
    test: { ...set, count: 0 },
    mean: [0, 0, 0],
    std: [1, 1, 1],
  };
}

/** The package's program runs by program name (each one dispatch), when `--programs` asks. */
const byProgram = new Map<string, number>();
function countPrograms(): void {
  const backend = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const inner = backend['runWebGPUProgram']!.bind(backend);
  backend['runWebGPUProgram'] = (program: unknown, ...rest: unknown[]) => {
    const name = (program as { constructor: { name: string } }).constructor.name;
    byProgram.set(name, (byProgram.get(name) ?? 0) + 1);
    return inner(program, ...rest);
  };
}

interface Measured {
  readonly adapter: string;
  readonly batch: number;
  readonly steps: number;
  readonly dispatchesPerStep: number;
  readonly readbacksPerStep: number;
  readonly hostMsPerStep: number;
  readonly uploadsPerStep: number;
  readonly passesPerStep: number;
  readonly hostMsMin: number;
  readonly hostMsMax: number;
  readonly hostMsEarly: number;
  readonly cpuMsPerStep: number;
}

async function measure(): Promise<Measured> {
  const adapter = await installDawn(vulkan ? [] : ['backend=null']);
  if (!adapter) throw new Error('Dawn gave no adapter');
  countDawnCalls((await import('webgpu')).globals as unknown as Record<string, unknown>);
  await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuTrainingKernels(hostCacheParts());
  if (process.argv.includes('--submit-batch'))
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', argValue('--submit-batch', 100));
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its WebGPU backend');
  const analysis = analyzeModel(presetModel('resnet20-a'));
  const built = buildModel(analysis, { seed: 1 });
  if (!built.ok) throw new Error(built.error);
  if (programs) countPrograms();
  const random = tf.randomUniform([BATCH * 32 * 32 * 3], -2, 2, 'float32', 1).dataSync() as Float32Array;
  const batch: Batch = { x: random, y: Int32Array.from({ length: BATCH }, (_, i) => i % 10) };
  const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 1, batchSize: BATCH, augment: false, maxTestSamples: 0 };
  // Host time and counts per step, between successive `proceed` calls (the loop awaits one before each step).
  const marks: ({ t: number; cpu: number } & typeof calls)[] = [];
  const mark = () => {
    if (marks.length === WARMUP) byProgram.clear(); // programs are counted over the timed steps
    const cpu = process.cpuUsage();
    marks.push({ t: performance.now(), cpu: (cpu.user + cpu.system) / 1000, ...calls });
  };
  await train(
    built.model,
    dataset(STEPS * BATCH),
    config,
    () => batch,
    {
      onStep: () => undefined,
      onEpoch: () => undefined,
      proceed: async () => (mark(), 'go'),
    },
    endsInSoftmax(analysis), // as the worker: the preset ends in softmax, so the loss reads probabilities
  );
  mark();
  const timed = marks.slice(WARMUP);
  const first = timed[0]!;
  const last = timed[timed.length - 1]!;
  const n = timed.length - 1;
  const ms = timed.slice(1).map((m, i) => m.t - timed[i]!.t);
  // CPU time of the process (all threads) per step: less disturbed than wall time on a loaded machine.
  const cpuMs = timed.slice(1).map((m, i) => m.cpu - timed[i]!.cpu);
  return {
    adapter: vulkan ? adapter.name : `Dawn null adapter${adapter.name ? ` (${adapter.name})` : ''}`,
    batch: BATCH,
    steps: marks.length - 1,
    dispatchesPerStep: (last.dispatches - first.dispatches) / n,
    readbacksPerStep: (last.readbacks - first.readbacks) / n,
    hostMsPerStep: Number(median(ms).toFixed(2)),
    uploadsPerStep: (last.uploads - first.uploads) / n,
    passesPerStep: (last.passes - first.passes) / n,
    hostMsMin: Number(Math.min(...ms).toFixed(2)),
    hostMsMax: Number(Math.max(...ms).toFixed(2)),
    hostMsEarly: Number(median(ms.slice(0, EARLY)).toFixed(2)),
    cpuMsPerStep: Number(median(cpuMs).toFixed(2)),
  };
}

const result = await measure();
if (json || vulkan) {
  // The contract's fields, in its order.
  const { adapter, batch, steps, dispatchesPerStep, readbacksPerStep, hostMsPerStep } = result;
  const line = { adapter, batch, steps, dispatchesPerStep, readbacksPerStep, hostMsPerStep };
  console.log(JSON.stringify(vulkan ? result : line));
} else {
  const rows: [string, string][] = [
    ['adapter', result.adapter],
    ['batch', String(result.batch)],
    ['training steps (warm-up included)', `${result.steps} (${WARMUP} warm-up)`],
    ['compute dispatches per step', result.dispatchesPerStep.toFixed(1)],
    ['readbacks (mapAsync) per step', result.readbacksPerStep.toFixed(2)],
    ['uploads per step', result.uploadsPerStep.toFixed(1)],
    ['compute passes per step', result.passesPerStep.toFixed(1)],
    ['host ms per step: median', result.hostMsPerStep.toFixed(1)],
    ['host ms per step: fastest, slowest', `${result.hostMsMin.toFixed(1)}, ${result.hostMsMax.toFixed(1)}`],
    [`host ms per step: first ${EARLY} (median)`, result.hostMsEarly.toFixed(1)],
    ['process CPU ms per step: median', result.cpuMsPerStep.toFixed(1)],
  ];
  console.log("ResNet-20 (option A) training steps on tfjs WebGPU, Node + Dawn, the worker loop's own step");
  for (const [k, v] of rows) console.log(`${k.padEnd(38)} ${v}`);
  const cached = hostCacheStats(tf.backend());
  if (cached) {
    const share = (hits: number, misses: number) => `${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)}%`;
    console.log(
      `${'reused: uniform buffers, bind groups'.padEnd(38)} ` +
        `${share(cached.uniformHits, cached.uniformMisses)}, ${share(cached.bindGroupHits, cached.bindGroupMisses)}`,
    );
  }
  if (programs) {
    const timedSteps = result.steps - WARMUP;
    const per = (n: number) => (n / timedSteps).toFixed(1);
    const sorted = [...byProgram].sort((a, b) => b[1] - a[1]);
    const theirs = sorted.reduce((t, [, n]) => t + n, 0);
    console.log('\ndispatches per step by program (tfjs-backend-webgpu, then ours)');
    for (const [name, n] of sorted) console.log(`  ${name.padEnd(36)} ${per(n)}`);
    console.log(
      `  ${'ours (src/train/backend/webgpu)'.padEnd(36)} ${(result.dispatchesPerStep - theirs / timedSteps).toFixed(1)}`,
    );
  }
  if (namedDriver) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--vulkan'],
      { encoding: 'utf8', env: process.env },
    );
    const real = child.status === 0 ? (JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Measured) : null;
    if (!real) console.log(`real GPU run failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    else {
      console.log(
        `on ${real.adapter} (VK_ICD_FILENAMES): ${real.hostMsPerStep.toFixed(1)} ms/step median, ` +
          `${((BATCH / real.hostMsPerStep) * 1000).toFixed(0)} images/s`,
      );
    }
  }
}
process.exit(0);
