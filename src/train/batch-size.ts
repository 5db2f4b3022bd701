import { trainingMemory } from '../engine/analysis/memory';
import type { Analysis, LayerResult } from '../engine/analysis/result';
import { isInput } from '../engine/model/model';
import { formatBytes } from '../engine/shape/format';
import type { OptimizerName } from './loop/optimizer';

const FLOAT = 4;

/** What bounds the batch of a WebGPU run (bytes). */
export interface BatchLimits {
  /** `GPUAdapter.limits.maxStorageBufferBindingSize`: the most one tensor may span in a kernel. */
  readonly maxStorageBufferBindingSize: number;
  /** `GPUAdapter.limits.maxBufferSize`: the most one GPU buffer may hold. */
  readonly maxBufferSize: number;
  /** What the whole step may use: the same budget the worker checks a run against. */
  readonly budget: number;
}

/** The biggest tensor a training step holds for one example. */
export interface LargestTensor {
  /** The layer it belongs to; inside a block, block/layer (stage1_block1/conv1). */
  readonly layer: string;
  /**
   * 'output': a layer's output (or its gradient, the same size); 'patches': a convolution's
   * input gathered as a matrix (im2col) for its filter gradient; 'input': the batch of images.
   */
  readonly kind: 'output' | 'patches' | 'input';
  readonly bytes: number;
}

export type BatchBound = 'binding' | 'memory' | 'cap';

export type BatchSuggestion =
  | {
      readonly ok: true;
      /** The largest power of two that fits every limit (at most the cap). */
      readonly batchSize: number;
      /** The limit that stops the next power of two. */
      readonly bound: BatchBound;
      readonly largest: LargestTensor;
      /** min(maxStorageBufferBindingSize, maxBufferSize): what one tensor may take. */
      readonly perTensor: number;
      /** The step's bytes at the suggested batch (trainingMemory's total). */
      readonly stepBytes: number;
      /** Bytes that grow with the batch, per example: outputs kept, their gradients, tfjs' temporaries. */
      readonly perExample: number;
      /** Bytes that do not: weights, gradients, optimizer state. */
      readonly fixed: number;
      readonly budget: number;
    }
  /** `why`: what stops even one example; null while a size is open (nothing to say yet). */
  | { readonly ok: false; readonly why: string | null };

/**
 * What a step really holds per example, over trainingMemory's outputs-and-their-gradients: tfjs
 * keeps more for the backward pass (batch norm's normalised input, activation masks) and makes
 * temporaries while it runs. tf.profile's peak bytes of a training step grow per example by
 * 2.7–3.0× that on tfjs' CPU backend (ResNet-20, LeNet-5: tests/train/batch-size.test.ts) and on
 * WebGPU by 1.5× for ResNet-20 (our batch-norm kernels keep little), 3.0× for LeNet-5
 * (tests/train/backend/webgpu-batch-memory.test.ts). The worker checks runs with it too
 * (stepMemory), so its budget bounds what a step really holds, not a third of it.
 */
export const STEP_OVERHEAD = 3.2;

/** The most images a suggestion asks for: past it, steps get long and few for the small sets here. */
export const BATCH_CAP = 512;

/**
 * Elements of a Conv1D/Conv2D's patch matrix for one example: output positions × taps × input
 * channels per group (im2col, Chellapilla et al. 2006). Our WebGPU filter gradient
 * (src/train/backend/webgpu/kernels.ts) gathers it as one tensor, kh·kw times the input, and
 * falls back to tfjs' far slower kernel when it exceeds one storage binding.
 */
function patchElements(layer: LayerResult): number | null {
  const type = layer.spec?.type;
  if ((type !== 'Conv2D' && type !== 'Conv1D') || !layer.geometry) return 0;
  const inPerGroup = layer.weights[0]?.keras.shape.at(-2);
  if (inPerGroup === undefined) return 0;
  let n = inPerGroup;
  for (const axis of layer.geometry) {
    if (axis.output === null) return null;
    n *= axis.output * axis.kernel;
  }
  return n;
}

function largestIn(
  layers: readonly LayerResult[],
  best: LargestTensor | null,
  prefix = '',
): LargestTensor | null | undefined {
  for (const layer of layers) {
    if (layer.children?.length) {
      const inner = largestIn(layer.children, best, `${prefix}${layer.name}/`);
      if (inner === undefined) return undefined;
      best = inner;
      continue;
    }
    const output = layer.activationSize;
    const patches = patchElements(layer);
    if (output === null || patches === null) return undefined;
    const kind = isInput(layer) ? 'input' : 'output';
    for (const [k, n] of [[kind, output] as const, ['patches', patches] as const])
      if (!best || n * FLOAT > best.bytes) best = { layer: prefix + layer.name, kind: k, bytes: n * FLOAT };
  }
  return best;
}

/**
 * The largest tensor a training step holds per example: every layer's output (inside blocks,
 * each inner layer's), the input batch, and each convolution's patch matrix. A batch of b makes
 * it b times larger, and WebGPU binds each tensor as one storage buffer, so
 *   b × bytes ≤ min(maxStorageBufferBindingSize, maxBufferSize).
 * `null` while a size is open.
 */
export function largestTensor(analysis: Analysis): LargestTensor | null {
  return largestIn(analysis.layers, null) ?? null;
}

/**
 * A training step's bytes as the worker checks a run against its budget: `fixed` (weights,
 * gradients, optimizer state: slots per weight, 1 for SGD with momentum, 2 for Adam) plus
 * `perExample` for each example of the batch (every output kept for the backward pass and its
 * gradient, `trainingMemory`, times STEP_OVERHEAD for what tfjs holds besides, as measured).
 */
export interface StepMemory {
  readonly fixed: number;
  readonly perExample: number;
}

/** The step's memory of this model with this optimizer; null while a size is open. */
export function stepMemory(analysis: Analysis, optimizer: OptimizerName): StepMemory | null {
  const one = trainingMemory(analysis, 1, optimizer === 'adam' ? 2 : 1);
  if (!one) return null;
  return { fixed: one.total - one.activations, perExample: Math.ceil(one.activations * STEP_OVERHEAD) };
}

/** Bytes of a step at this batch: fixed + batch × perExample. */
export const stepBytes = (memory: StepMemory, batch: number): number => memory.fixed + batch * memory.perExample;

/**
 * The largest batch whose step fits `budget`: floor((budget − fixed) / perExample), 0 when not
 * even one example does. The one rule the worker refuses runs by, the plan's first look and the
 * WebGPU suggestion stay within.
 */
export function largestBatch(memory: StepMemory, budget: number): number {
  if (memory.perExample <= 0) return memory.fixed <= budget ? Infinity : 0;
  return Math.max(0, Math.floor((budget - memory.fixed) / memory.perExample));
}

/** The largest power of two ≤ n (n ≥ 1): the batch a suggestion or a refusal names. */
export const powerOfTwoAtMost = (n: number): number => 2 ** Math.floor(Math.log2(n));

/**
 * Why the worker refuses a run at this batch (its step over `budget`), with the numbers and the
 * largest power-of-two batch that fits; null when it fits.
 */
export function memoryRefusal(memory: StepMemory, batch: number, budget: number): string | null {
  const total = stepBytes(memory, batch);
  if (total <= budget) return null;
  const fits = largestBatch(memory, budget);
  const needs =
    `This run needs about ${formatBytes(total)} (activations ${formatBytes(batch * memory.perExample)} for a batch of ${batch}, ` +
    `weights, gradients and optimizer ${formatBytes(memory.fixed)}); the limit here is ${formatBytes(budget)}.`;
  if (fits >= 1) return `${needs} Try a batch of ${powerOfTwoAtMost(fits)} or fewer.`;
  return `${needs} Not even one image a step fits: ${
    memory.fixed > budget
      ? 'the weights, gradients and optimizer state alone exceed it'
      : `one image takes ${formatBytes(memory.perExample)}`
  }. This model is too large to train in this tab; export it to train it elsewhere.`;
}

/** WebGPU's per-buffer limits (bytes): what one tensor of a step may span. */
export type GpuBuffers = Pick<BatchLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>;

/**
 * The largest batch a run of this model may train with on its backend: its step within `budget`
 * (largestBatch: what the worker checks) and, on WebGPU (`gpu` given), each tensor within one
 * storage binding. 0 when not even one example fits; null while a size is open.
 */
export function batchLimit(
  analysis: Analysis,
  optimizer: OptimizerName,
  budget: number,
  gpu: GpuBuffers | null,
): number | null {
  const memory = stepMemory(analysis, optimizer);
  if (!memory) return null;
  const byMemory = largestBatch(memory, budget);
  if (!gpu) return byMemory;
  const largest = largestTensor(analysis);
  if (!largest) return null;
  return Math.min(byMemory, Math.floor(Math.min(gpu.maxStorageBufferBindingSize, gpu.maxBufferSize) / largest.bytes));
}

/**
 * The largest power-of-two batch (1…`cap`) a WebGPU run of this model fits in:
 * - each tensor within one storage binding: b ≤ perTensor / largest tensor's bytes per example;
 * - the step within the budget (stepMemory, largestBatch): the same rule the worker refuses runs
 *   by, so a suggested batch always starts.
 * WebGPU does not expose the GPU's memory, so the budget stands in for it. Powers of two keep
 * the GPU's tiles full and match published recipes. Says which bound stops the next one.
 */
export function suggestBatchSize(
  analysis: Analysis,
  limits: BatchLimits,
  optimizer: OptimizerName,
  cap = BATCH_CAP,
): BatchSuggestion {
  const largest = largestTensor(analysis);
  const memory = stepMemory(analysis, optimizer);
  if (!largest || !memory) return { ok: false, why: null };
  const perTensor = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const byBinding = Math.floor(perTensor / largest.bytes);
  const byMemory = largestBatch(memory, limits.budget);
  const most = Math.min(byBinding, byMemory, cap);
  if (most < 1)
    return {
      ok: false,
      why:
        byBinding < 1
          ? `one example's ${largest.kind === 'patches' ? 'patch matrix' : 'tensor'} in ${largest.layer} is larger than one GPU buffer`
          : memory.fixed > limits.budget
            ? 'the weights, gradients and optimizer state alone exceed the memory budget'
            : "one example's step exceeds the memory budget",
    };
  const batchSize = powerOfTwoAtMost(most);
  const bound: BatchBound = most === byBinding ? 'binding' : most === byMemory ? 'memory' : 'cap';
  return {
    ok: true,
    batchSize,
    bound,
    largest,
    perTensor,
    stepBytes: stepBytes(memory, batchSize),
    perExample: memory.perExample,
    fixed: memory.fixed,
    budget: limits.budget,
  };
}

/**
 * The learning rate for `batch` from one tuned at `baseBatch`: SGD scales it linearly (Goyal et
 * al. 2017, "Accurate, Large Minibatch SGD", with warm-up, which one-cycle has), Adam by the
 * square root (Malladi et al. 2022, "On the SDEs and Scaling Rules for Adaptive Gradient
 * Algorithms"). Rounded to 3 significant digits for the form.
 */
export function scaledLearningRate(rate: number, baseBatch: number, batch: number, optimizer: OptimizerName): number {
  const ratio = batch / baseBatch;
  return Number((rate * (optimizer === 'adam' ? Math.sqrt(ratio) : ratio)).toPrecision(3));
}
