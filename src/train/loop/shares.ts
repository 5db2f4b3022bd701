import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config';
import { correct, crossEntropy } from './loss';

/**
 * Data-parallel steps: a batch split into shares, one computed here and the others by helpers
 * (Web Workers with a model of their own, src/train/parallel), their gradients averaged, then one
 * optimizer step here. On WASM this is how a step uses every core: tfjs' threaded build runs only
 * the convolutions' matrix products on its pool, and everything else (packing, batch norm,
 * element-wise kernels, the optimizer) on one thread, so two single-threaded workers on half a
 * batch each train about 1.8 times as fast as one, where its threads give 1.4.
 *
 * What a step computes:
 * - the gradient: each share's gradient of its mean loss, weighted by its share of the batch.
 *   For a model without batch norm this is the whole batch's gradient (up to rounding);
 * - batch norm normalises each share by its own statistics, as PyTorch's DistributedDataParallel
 *   does (shares keep at least MIN_SHARE images for that reason); the moving mean and variance
 *   become the shares' weighted average, one moving-average update over the whole batch;
 * - the loss and accuracy: the whole batch's.
 */

/** One batch as the model reads it: normalised pixels, N × …shape, and the labels. */
export interface Batch {
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/** Fewest images a share is given: batch norm's statistics over fewer grow noisy. */
export const MIN_SHARE = 32;

/** A share's part of a step, as a helper sends it back. */
export interface ShareResult {
  /** Each trainable weight's gradient (zeros where the loss does not depend on it), in order, one after another. */
  readonly grads: Float32Array;
  /**
   * Each non-trainable weight (batch norm's moving statistics, frozen layers' weights) after the
   * share's forward pass.
   */
  readonly state: Float32Array;
  /** The share's mean loss and correct predictions. */
  readonly loss: number;
  readonly hits: number;
}

/** Computes shares of each step elsewhere: `count` of them beside the one computed here. */
export interface Helpers {
  readonly count: number;
  /**
   * Gives helper i the model's weights (every weight, in model.weights order, one after
   * another) and shares[i]; resolves to their results in the same order.
   */
  compute(weights: Float32Array, shares: readonly Batch[]): Promise<ShareResult[]>;
}

/** How many shares a batch of `batchSize` is split into, with `helpers` helpers at hand. */
export function shareCount(batchSize: number, helpers: number): number {
  return Math.max(1, Math.min(helpers + 1, Math.floor(batchSize / MIN_SHARE)));
}

/** `batch` in `parts` consecutive shares, as even as can be (the first ones one larger). */
export function splitBatch(batch: Batch, parts: number): Batch[] {
  const n = batch.y.length;
  const size = batch.x.length / Math.max(n, 1);
  const shares: Batch[] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const count = Math.floor(n / parts) + (p < n % parts ? 1 : 0);
    shares.push({
      x: batch.x.slice(start * size, (start + count) * size),
      y: batch.y.slice(start, start + count),
    });
    start += count;
  }
  return shares;
}

/** The values of `weights`, one after another. */
export function flatValues(weights: readonly tf.LayerVariable[]): Float32Array {
  const parts = weights.map((w) => w.read().dataSync() as Float32Array);
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    flat.set(part, at);
    at += part.length;
  }
  return flat;
}

/** Sets `weights` from `flat` (as flatValues wrote it). */
export function setFlatValues(weights: readonly tf.LayerVariable[], flat: Float32Array): void {
  let at = 0;
  tf.tidy(() => {
    for (const w of weights) {
      const size = w.read().size;
      w.write(tf.tensor(flat.subarray(at, at + size), w.shape as number[]));
      at += size;
    }
  });
  if (at !== flat.length) throw new Error(`expected ${at} weight values, got ${flat.length}`);
}

/**
 * The share's loss, correct predictions and gradients (as tensors, by variable name; the
 * caller disposes them); batch norm layers update their moving statistics as they run.
 */
export function shareGradients(
  model: tf.LayersModel,
  variables: tf.Variable[],
  batch: Batch,
  shape: readonly number[],
  config: Pick<TrainConfig, 'labelSmoothing'>,
  probabilities: boolean,
): { loss: tf.Scalar; hits: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.tidy(() => {
    const x = tf.tensor(batch.x, [batch.y.length, ...shape]);
    const y = tf.tensor1d(batch.y, 'int32');
    let hits: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const output = model.apply(x, { training: true }) as tf.Tensor2D;
      // Counted here: variableGrads frees the forward pass's tensors, the output among them.
      hits = tf.keep(correct(output, y));
      return crossEntropy(output, y, config.labelSmoothing, probabilities);
    }, variables);
    return { loss: value, hits: hits as unknown as tf.Scalar, grads };
  });
}

/** A helper's side of a step: its model takes `weights`, then computes `batch`'s ShareResult. */
export function computeShare(
  model: tf.LayersModel,
  weights: Float32Array,
  batch: Batch,
  shape: readonly number[],
  config: Pick<TrainConfig, 'labelSmoothing'>,
  probabilities: boolean,
): ShareResult {
  setFlatValues(model.weights, weights);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { loss, hits, grads } = shareGradients(model, variables, batch, shape, config, probabilities);
  try {
    const flat = tf.tidy(() => tf.concat(variables.map((v) => (grads[v.name] ?? tf.zeros(v.shape)).reshape([-1]))));
    const result = {
      grads: flat.dataSync() as Float32Array,
      state: flatValues(model.nonTrainableWeights),
      loss: loss.dataSync()[0] as number,
      hits: hits.dataSync()[0] as number,
    };
    flat.dispose();
    return result;
  } finally {
    tf.dispose([loss, hits, grads]);
  }
}

/**
 * One data-parallel step's gradients: posts the other shares to `helpers`, computes the first
 * here meanwhile, then averages. Returns the whole batch's gradients by variable name (the
 * caller applies and disposes them), loss and correct predictions; the model's moving
 * statistics are left as the shares' average.
 */
export async function parallelGradients(
  model: tf.LayersModel,
  variables: tf.Variable[],
  shares: readonly Batch[],
  shape: readonly number[],
  config: Pick<TrainConfig, 'labelSmoothing'>,
  probabilities: boolean,
  helpers: Helpers,
): Promise<{ grads: tf.NamedTensorMap; loss: number; hits: number }> {
  const [own, ...others] = shares as [Batch, ...Batch[]];
  // Before this share's forward pass, which moves the moving statistics.
  const pending = helpers.compute(flatValues(model.weights), others);
  const mine = shareGradients(model, variables, own, shape, config, probabilities);
  const results = await pending.catch((e: unknown) => {
    tf.dispose([mine.loss, mine.hits, mine.grads]);
    throw e;
  });
  const total = shares.reduce((n, s) => n + s.y.length, 0);
  const weightOf = (i: number) => (shares[i] as Batch).y.length / total;
  const [lossValue, hitValue] = [mine.loss.dataSync()[0] as number, mine.hits.dataSync()[0] as number];
  const grads = tf.tidy(() => {
    const out: tf.NamedTensorMap = {};
    let at = 0;
    for (const v of variables) {
      const own = mine.grads[v.name];
      if (own) {
        out[v.name] = results.reduce(
          (sum, r, i) => sum.add(tf.tensor(r.grads.subarray(at, at + v.size), v.shape).mul(weightOf(i + 1))),
          own.mul(weightOf(0)),
        );
      }
      at += v.size;
    }
    return out;
  });
  tf.dispose([mine.loss, mine.hits, mine.grads]);
  averageState(model, results, weightOf);
  return {
    grads,
    loss: results.reduce((sum, r, i) => sum + r.loss * weightOf(i + 1), lossValue * weightOf(0)),
    hits: results.reduce((sum, r) => sum + r.hits, hitValue),
  };
}

/** The moving statistics: this share's and the helpers', weighted by share. */
function averageState(model: tf.LayersModel, results: readonly ShareResult[], weightOf: (i: number) => number): void {
  const weights = model.nonTrainableWeights;
  if (!weights.length) return;
  const own = flatValues(weights);
  // A value no share changed (a frozen layer's weights) stays exactly as it is: a weighted mean
  // of equal values may round.
  const mixed = own.map((value, k) =>
    results.every((r) => r.state[k] === value)
      ? value
      : results.reduce((sum, r, i) => sum + (r.state[k] as number) * weightOf(i + 1), value * weightOf(0)),
  );
  setFlatValues(weights, mixed);
}
