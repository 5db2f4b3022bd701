/**
 * ResNet-20 (option A, the preset built by src/train/model/build.ts), batch 64, 32×32×3:
 * training images/s (forward, backward, SGD with Nesterov momentum and weight decay) and
 * inference images/s on WASM with our kernels, on WASM with the package's own kernels where it
 * has them, on the CPU backend, and in PyTorch 1.13 on the CPU (1 and 2 threads) when Debian's
 * python3-torch is there; and the time to the first training step. Each configuration runs in
 * its own process. Run: npx tsx tests/bench/kernels.bench.ts [--steps 10]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets/index';
import { registerWasmTrainingKernels } from '../../src/train/backend/wasm-kernels';
import { crossEntropy } from '../../src/train/loop/loss';
import { Optimizer } from '../../src/train/loop/optimizer';
import { buildModel } from '../../src/train/model/build';
import { PYTORCH_BENCH } from './kernels-torch';

const BATCH = 64;
const WARMUP = 2;
const argValue = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = argValue('--steps', 10);

interface Result {
  readonly config: string;
  readonly firstStepS: number;
  readonly trainMedianMs: number;
  readonly trainBestMs: number;
  readonly inferMedianMs: number;
  readonly note?: string;
}

const CONFIGS: Record<string, { backend: string; kernels?: readonly string[]; label: string }> = {
  wasm: { backend: 'wasm', label: 'tfjs WASM, our kernels' },
  'wasm-package': {
    backend: 'wasm',
    // Only the kernels the package lacks: its own Conv2DBackpropInput, Slice and Tile.
    kernels: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
    label: 'tfjs WASM, package kernels + missing ones',
  },
  cpu: { backend: 'cpu', label: 'tfjs CPU backend' },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timeSteps(count: number, step: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return times;
}

/** One configuration, in this process: prints its Result as JSON on the last line. */
async function runOne(name: string): Promise<void> {
  const config = CONFIGS[name];
  if (!config) throw new Error(`unknown configuration ${name}`);
  const t0 = performance.now();
  if (config.backend === 'wasm') registerWasmTrainingKernels(config.kernels);
  await tf.setBackend(config.backend);
  const built = buildModel(analyzeModel(presetModel('resnet20-a')), { seed: 1 });
  if (!built.ok) throw new Error(built.error);
  const model = built.model;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Optimizer({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const x = tf.randomUniform([BATCH, 32, 32, 3], -2, 2, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => i % 10),
    'int32',
  );
  const train = async () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor2D, y, 0.1, false),
        variables,
      );
      optimizer.apply(grads, variables, 0.05);
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  const infer = async () => {
    const out = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
    await out.data();
    out.dispose();
  };
  await train();
  const firstStepS = (performance.now() - t0) / 1000;
  const steps = config.backend === 'cpu' ? Math.min(STEPS, 3) : STEPS;
  await timeSteps(WARMUP, train);
  const trainTimes = await timeSteps(steps, train);
  await timeSteps(WARMUP, infer);
  const inferTimes = await timeSteps(steps, infer);
  const result: Result = {
    config: config.label,
    firstStepS,
    trainMedianMs: median(trainTimes),
    trainBestMs: Math.min(...trainTimes),
    inferMedianMs: median(inferTimes),
    ...(steps < STEPS ? { note: `${steps} timed steps` } : {}),
  };
  console.log(JSON.stringify(result));
}

function pytorch(threads: number): Result | string {
  const python = '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
  } catch {
    return 'PyTorch: skipped (no /usr/bin/python3 with torch; Debian: apt-get install python3-torch python3-torchvision)';
  }
  const out = execFileSync(python, ['-c', PYTORCH_BENCH, String(BATCH), String(STEPS), String(threads)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Result;
}

function row(r: Result): string {
  const ips = (ms: number) => ((BATCH / ms) * 1000).toFixed(1).padStart(9);
  return [
    r.config.padEnd(44),
    ips(r.trainMedianMs),
    ips(r.trainBestMs),
    ips(r.inferMedianMs),
    r.firstStepS.toFixed(2).padStart(10),
    `  ${r.note ?? ''}`,
  ].join(' ');
}

async function main(): Promise<void> {
  const one = process.argv.indexOf('--one');
  if (one >= 0) return runOne(process.argv[one + 1] as string);
  const self = fileURLToPath(import.meta.url);
  console.log(
    `ResNet-20 (option A), batch ${BATCH}, 32×32×3; ${WARMUP} warm-up steps, ${STEPS} timed (median and best)`,
  );
  console.log(
    `${'configuration'.padEnd(44)} ${'train/s'.padStart(9)} ${'best/s'.padStart(9)} ${'infer/s'.padStart(9)} ${'1st step s'.padStart(10)}`,
  );
  for (const name of Object.keys(CONFIGS)) {
    const run = spawnSync(process.execPath, [...process.execArgv, self, '--one', name, '--steps', String(STEPS)], {
      encoding: 'utf8',
    });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !last.startsWith('{')) {
      console.log(
        `${CONFIGS[name]!.label.padEnd(44)} failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')}`,
      );
      continue;
    }
    console.log(row(JSON.parse(last) as Result));
  }
  for (const threads of [1, 2]) {
    const r = pytorch(threads);
    console.log(typeof r === 'string' ? r : row(r));
  }
  console.log(
    `Machine: ${(await import('node:os')).cpus()[0]?.model ?? '?'} × ${(await import('node:os')).cpus().length}`,
  );
}

await main();
