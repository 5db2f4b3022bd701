/**
 * ResNet-20 (option A), batch 64, 32×32×3, side by side: training images/s (forward, backward,
 * SGD step), inference images/s and seconds to the end of the first training step (from backend
 * start, model build included), for tfjs WASM with our kernels, with only our convolution and
 * copy kernels (what this project had before the SIMD ones), with only the kernels the package
 * lacks, the tfjs CPU backend (few steps: it is slow), tfjs WebGPU in Node through Dawn (the
 * `webgpu` package: a real GPU where there is one, else SwiftShader and only the first step), and
 * PyTorch on the CPU with 1 and 2 threads when a python3 with torch is found (and on the GPU when
 * it has CUDA). Each configuration runs in its own process, one after another; the CPU backend
 * alone takes several minutes. Run:
 *   npm run bench:train [-- --steps 10] [--batch 64] [--skip cpu,wasm-package] [--only webgpu,pytorch-cuda]
 *
 * `npm run bench:train -- --profile [wasm|cpu|webgpu]` prints instead where one training step's time
 * goes: each kernel's exclusive milliseconds and calls per step (kernels that call other kernels,
 * as ours do, are charged only their own part), and what the kernels leave (tape, tidy, JS ops).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/train/backend/wasm/kernels';
import { registerWebGpuTrainingKernels } from '../../src/train/backend/webgpu/kernels';
import { findPython } from '../io/python/find-python';
import { PYTORCH_BENCH } from './kernels-torch';
import { profile } from './train-profile';
import { argValue, BATCH, median, resnetStep, timeSteps, webGpu } from './train-step';

const WARMUP = 2;
const STEPS = argValue('--steps', 10);

interface Result {
  readonly config: string;
  readonly firstStepS: number;
  readonly trainMedianMs: number;
  readonly trainBestMs: number;
  readonly inferMedianMs: number;
  readonly note?: string;
}

interface Config {
  readonly backend: string;
  readonly label: string;
  /** Our kernels to register (all when absent). */
  readonly kernels?: readonly string[];
  /** Timed steps at most (0: time the first step only), warm-up steps. */
  readonly steps?: number;
  readonly warmup?: number;
}

const CONFIGS: Record<string, Config> = {
  wasm: { backend: 'wasm', label: 'tfjs WASM, our kernels' },
  'wasm-conv': {
    backend: 'wasm',
    // Our convolutions, their gradients and copies, without the SIMD channel-wise kernels and Mean gradient.
    kernels: [
      'Conv2D',
      'FusedConv2D',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'Slice',
      'Tile',
    ],
    label: 'tfjs WASM, our conv + copy kernels only',
    steps: 3,
    warmup: 1,
  },
  'wasm-package': {
    backend: 'wasm',
    // Only what the package lacks (a convnet cannot train without these); its own kernels otherwise.
    kernels: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
    label: 'tfjs WASM, package kernels + missing ones',
    steps: 3,
    warmup: 1,
  },
  // A training step takes minutes on the CPU backend (13 on a busy 2-core machine): its rate is
  // that of the first step (model build included), then one inference pass.
  cpu: { backend: 'cpu', label: 'tfjs CPU backend', steps: 0, warmup: 0 },
  // WebGPU in Node through Dawn (the `webgpu` package), on whatever adapter it finds: a real GPU
  // where there is one, SwiftShader (software Vulkan, VK_ICD_FILENAMES) otherwise, where a step
  // takes minutes and only the first is timed.
  webgpu: { backend: 'webgpu', label: 'tfjs WebGPU (Node, Dawn), our kernels' },
  'webgpu-package': { backend: 'webgpu', kernels: [], label: 'tfjs WebGPU (Node, Dawn), package kernels' },
};

/** One configuration, in this process: prints its Result as JSON on the last line. */
async function runOne(name: string): Promise<void> {
  const config = CONFIGS[name];
  if (!config) throw new Error(`unknown configuration ${name}`);
  const adapter = config.backend === 'webgpu' ? await webGpu() : null;
  if (adapter) await import('@tensorflow/tfjs-backend-webgpu');
  // `--tf-flag NAME=VALUE`: a TensorFlow.js flag to try (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=100).
  const flag = process.argv.indexOf('--tf-flag');
  if (flag >= 0) {
    const [key, value] = (process.argv[flag + 1] ?? '').split('=');
    tf.env().set(key as string, value === 'true' || value === 'false' ? value === 'true' : Number(value));
  }
  const t0 = performance.now();
  if (config.backend === 'wasm') registerWasmTrainingKernels(config.kernels);
  if (adapter && !config.kernels) registerWebGpuTrainingKernels();
  if (!(await tf.setBackend(config.backend))) throw new Error(`backend ${config.backend} did not start`);
  const { train, infer } = resnetStep();
  await train();
  const firstStepS = (performance.now() - t0) / 1000;
  const steps = adapter?.software && !process.argv.includes('--all-steps') ? 0 : Math.min(STEPS, config.steps ?? STEPS);
  console.error(`${name}: first step ${firstStepS.toFixed(1)} s`);
  const warmup = steps === 0 ? 0 : (config.warmup ?? WARMUP);
  await timeSteps(warmup, train);
  const trainTimes = steps > 0 ? await timeSteps(steps, train) : [firstStepS * 1000];
  await timeSteps(warmup, infer);
  const inferTimes = await timeSteps(Math.max(1, steps), infer);
  const result: Result = {
    config: adapter ? `${config.label}: ${adapter.name}` : config.label,
    firstStepS,
    trainMedianMs: median(trainTimes),
    trainBestMs: Math.min(...trainTimes),
    inferMedianMs: median(inferTimes),
    ...(steps < STEPS ? { note: steps > 0 ? `${steps} timed steps` : 'first step only' } : {}),
  };
  console.log(JSON.stringify(result));
}

/** PyTorch's rows: the CPU with 1 and 2 threads, and the GPU where CUDA is available. */
function pytorch(devices: readonly string[]): (Result | string)[] {
  const python = findPython(['torch']);
  if (!python) return ['PyTorch: skipped (no python3 with torch; on Debian: apt-get install python3-torch)'];
  const run = (device: string, threads: number): Result | string => {
    try {
      const args = ['-c', PYTORCH_BENCH, String(BATCH), String(STEPS), String(threads), device];
      const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return JSON.parse(out.trim().split('\n').pop() as string) as Result;
    } catch (e) {
      const why = ((e as { stderr?: string }).stderr ?? String(e)).trim().split('\n').pop();
      return `PyTorch, ${device}, ${threads} thread(s): failed: ${why}`;
    }
  };
  let cuda = false;
  try {
    cuda = execFileSync(python, ['-c', 'import torch; print(torch.cuda.is_available())'], {
      encoding: 'utf8',
    }).includes('True');
  } catch {
    // No CUDA.
  }
  return [
    ...(devices.includes('cpu') ? [run('cpu', 1), run('cpu', 2)] : []),
    ...(cuda && devices.includes('cuda') ? [run('cuda', 2)] : []),
  ];
}

const COLUMNS = ['train/s', 'best/s', 'infer/s', '1st step s'];

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

function runChild(self: string, name: string): string {
  const args = [...process.execArgv, self, '--one', name, '--steps', String(STEPS), '--batch', String(BATCH)];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status === 0 && last.startsWith('{')) return row(JSON.parse(last) as Result);
  const why = (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ');
  return `${(CONFIGS[name] as Config).label.padEnd(44)} failed: ${why}`;
}

async function main(): Promise<void> {
  const one = process.argv.indexOf('--one');
  if (one >= 0) return runOne(process.argv[one + 1] as string);
  const prof = process.argv.indexOf('--profile');
  if (prof >= 0) return profile(['cpu', 'webgpu'].find((b) => b === process.argv[prof + 1]) ?? 'wasm');
  const self = fileURLToPath(import.meta.url);
  console.log(
    `ResNet-20 (option A), batch ${BATCH}, 32×32×3; ${WARMUP} warm-up steps, ${STEPS} timed (median and best)`,
  );
  console.log(`${'configuration'.padEnd(44)} ${COLUMNS.map((c, i) => c.padStart(i === 3 ? 10 : 9)).join(' ')}`);
  const list = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? (process.argv[i + 1] ?? '').split(',') : [];
  };
  const only = list('--only');
  const named = [...Object.keys(CONFIGS), 'pytorch-cpu', 'pytorch-cuda'];
  const wanted = (n: string) => only.includes(n) || (n.startsWith('pytorch') && only.includes('pytorch'));
  const skipped = only.length ? named.filter((n) => !wanted(n)) : list('--skip');
  for (const name of Object.keys(CONFIGS)) {
    console.log(
      skipped.includes(name) ? `${(CONFIGS[name] as Config).label.padEnd(44)} skipped` : runChild(self, name),
    );
  }
  const torchDevices = ['cpu', 'cuda'].filter((d) => !skipped.includes('pytorch') && !skipped.includes(`pytorch-${d}`));
  for (const r of torchDevices.length ? pytorch(torchDevices) : []) console.log(typeof r === 'string' ? r : row(r));
  console.log(`Machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}; Node ${process.version}`);
}

await main();
