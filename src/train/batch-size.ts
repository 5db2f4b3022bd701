import { trainingMemory } from '../engine/analysis/memory';
import type { Analysis, LayerResult } from '../engine/analysis/result';
import { isInput } from '../engine/model/model';
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
 * (tests/train/backend/webgpu-batch-memory.test.ts). A suggestion that fits this never meets the
 * worker's own (lower) estimate's refusal.
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
 * The largest power-of-two batch (1…`cap`) a WebGPU run of this model fits in:
 * - each tensor within one storage binding: b ≤ perTensor / largest tensor's bytes per example;
 * - the step within the budget: weights + gradients + optimizer state + b × (every output kept
 *   for the backward pass and its gradient, `trainingMemory`, times STEP_OVERHEAD as measured)
 *   ≤ budget, the budget the worker checks runs against (with the lower estimate: never refused).
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
  const one = trainingMemory(analysis, 1, optimizer === 'adam' ? 2 : 1);
  if (!largest || !one) return { ok: false, why: null };
  const perTensor = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const fixed = one.total - one.activations;
  const byBinding = Math.floor(perTensor / largest.bytes);
  const perExample = Math.ceil(one.activations * STEP_OVERHEAD);
  const byMemory = perExample > 0 ? Math.floor((limits.budget - fixed) / perExample) : Infinity;
  const most = Math.min(byBinding, byMemory, cap);
  if (most < 1)
    return {
      ok: false,
      why:
        byBinding < 1
          ? `one example's ${largest.kind === 'patches' ? 'patch matrix' : 'tensor'} in ${largest.layer} is larger than one GPU buffer`
          : 'the weights, gradients and optimizer state alone exceed the memory budget',
    };
  const batchSize = 2 ** Math.floor(Math.log2(most));
  const bound: BatchBound = most === byBinding ? 'binding' : most === byMemory ? 'memory' : 'cap';
  const stepBytes = fixed + batchSize * perExample;
  return {
    ok: true,
    batchSize,
    bound,
    largest,
    perTensor,
    stepBytes,
    perExample,
    fixed,
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
