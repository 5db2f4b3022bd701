import type { Analysis } from '../engine/analysis/result';
import { powerOfTwoAtMost } from './batch-size';
import { MNIST_TEST_PER_DIGIT } from './data/mnist';
import { SYNTHETIC } from './load-data';
import type { DatasetId } from './types';

/** Training images of each data set, all of them: what a blank "Training images" means. */
export const TRAIN_IMAGES: Readonly<Record<DatasetId, number>> = {
  mnist: 10_000 - 10 * MNIST_TEST_PER_DIGIT,
  // The official archive; a subset has fewer, which only makes the run shorter than said.
  cifar10: 50_000,
  synthetic: SYNTHETIC.trainCount,
};

/**
 * How long training takes here: seconds per image (the products of the layers) plus seconds per
 * step (work that grows with the parameters, done once a batch), and where the numbers come from.
 */
export interface Speed {
  readonly perImage: number;
  readonly perStep: number;
  /** 'measured': scaled to a run of this model in this tab; 'estimated': from its MACs and parameters. */
  readonly source: 'measured' | 'estimated';
  /** Multiply-accumulates of one training step per image (for the estimate's wording). */
  readonly trainingMacs: number | null;
}

/**
 * The estimate's two rates, from two runs on WASM (two workers) on a shared two-core machine:
 * - ResNet-20 (122 M training MACs per image, 0.27 M parameters) trains at about 220 images/s,
 *   so the products run at about 27 G MAC/s: MAC_SECONDS;
 * - the classic MNIST preset (42 M MACs, but 3.27 M parameters, most in its 3,136 × 1,024 Dense
 *   layer) trains at only about 28 images/s at batch 64: 36 ms an image, of which its MACs
 *   explain 1.6 ms. The rest grows with the parameters, not the images: each step every
 *   parameter's gradient is summed across the workers and updated by the optimizer. 34 ms × 64
 *   images ÷ 3.27 M parameters is about 0.67 µs per parameter and step: PARAMETER_SECONDS.
 * With both, ResNet-20 comes out at 136 images/s (slower than measured, which only makes a
 * suggested run end early) and MNIST at 28. WebGPU is faster; a run's measured speed replaces
 * the estimate as soon as there is one.
 */
export const MAC_SECONDS = 1 / 27e9;
export const PARAMETER_SECONDS = 0.67e-6;

/**
 * MACs of one training step per image: the forward pass, then the backward pass, which for
 * every convolution and dense layer computes two products of the same size as the forward one
 * (the gradient with respect to the input and to the weights): 3 × forward. Element-wise layers
 * (activations, pooling, batch norm) are left out; they cost little beside the products.
 */
export function trainingMacs(analysis: Analysis): number | null {
  const forward = analysis.totals.macs;
  return forward === null ? null : 3 * forward;
}

/** Images per second at this batch size. */
export function imagesPerSecond(speed: Speed, batchSize: number): number {
  return 1 / (speed.perImage + speed.perStep / batchSize);
}

/**
 * The speed to plan with. Estimated from the model's training MACs and trainable parameters
 * (MAC_SECONDS, PARAMETER_SECONDS); when a run of this model in this tab measured `measured`
 * images/s at batch `measuredBatch`, both parts are scaled so that the estimate gives exactly
 * that. Null when the MACs are unknown (an open input size) and nothing was measured.
 */
export function speedOf(
  analysis: Analysis,
  measured: { imagesPerSecond: number; batchSize: number } | null,
): Speed | null {
  const macs = trainingMacs(analysis);
  const estimate =
    macs === null
      ? null
      : { perImage: macs * MAC_SECONDS, perStep: analysis.totals.trainableParams * PARAMETER_SECONDS };
  if (measured && measured.imagesPerSecond > 0) {
    if (!estimate)
      return { perImage: 1 / measured.imagesPerSecond, perStep: 0, source: 'measured', trainingMacs: macs };
    const scale = 1 / measured.imagesPerSecond / (estimate.perImage + estimate.perStep / measured.batchSize);
    return {
      perImage: estimate.perImage * scale,
      perStep: estimate.perStep * scale,
      source: 'measured',
      trainingMacs: macs,
    };
  }
  if (!estimate || estimate.perImage + estimate.perStep <= 0) return null;
  return { ...estimate, source: 'estimated', trainingMacs: macs };
}

export interface PlanAsked {
  readonly epochs: number;
  readonly batchSize: number;
  /** Images per epoch the form asks for; undefined: all of them. */
  readonly samples: number | undefined;
  /** Images in the data set's training part. */
  readonly available: number;
  /**
   * The largest batch a run of this model may use here (batchLimit: the worker refuses a larger
   * one); 0 when none fits; null or absent when unknown (an open input size).
   */
  readonly maxBatch?: number | null;
}

export interface Plan {
  /** Seconds the run as asked takes (training only; testing adds a little). */
  readonly seconds: number;
  /** Seconds for every image of the data set, for the number of epochs asked. */
  readonly fullSeconds: number;
  /** Images per epoch and batch that end in about TARGET_SECONDS; null when the run asked does already. */
  readonly suggestion: { readonly samples: number; readonly batchSize: number; readonly seconds: number } | null;
}

/** What a suggested run aims at: about a minute. */
export const TARGET_SECONDS = 60;
/** A run up to this long needs no suggestion. */
const SHORT_ENOUGH = 1.5 * TARGET_SECONDS;
/** Steps an epoch should have, for the curves to show learning: the batch shrinks for them. */
const MIN_STEPS = 16;
const MIN_BATCH = 8;

/** Seconds of `epochs` epochs of `images` images in batches of `batch`. */
function runSeconds(speed: Speed, epochs: number, images: number, batch: number): number {
  return epochs * (images * speed.perImage + Math.ceil(images / batch) * speed.perStep);
}

/**
 * How long the run asked for takes, and, when that is more than about a minute and a half or
 * its batch is more than `maxBatch`, a smaller one that ends in about a minute: as many images
 * per epoch as the minute allows, in whole batches, at least one. Its batch is the one asked,
 * or the largest power of two within `maxBatch` when that is less, so the run it offers is never
 * refused; then halved (down to 8) while an epoch has fewer than 16 steps and halving buys at
 * least 1.5 times as many: a model whose time goes into its parameters (a step costs the same at
 * any batch) keeps its batch, since a smaller one would only see fewer images in as many steps.
 * No suggestion when not even one image fits.
 */
export function planRun(asked: PlanAsked, speed: Speed): Plan {
  const perEpoch = Math.min(asked.samples ?? asked.available, asked.available);
  const seconds = runSeconds(speed, asked.epochs, perEpoch, asked.batchSize);
  const fullSeconds = runSeconds(speed, asked.epochs, asked.available, asked.batchSize);
  const limit = asked.maxBatch ?? Infinity;
  const refused = asked.batchSize > limit;
  if ((seconds <= SHORT_ENOUGH && !refused) || limit < 1) return { seconds, fullSeconds, suggestion: null };
  const budget = TARGET_SECONDS / asked.epochs;
  const fits = (batch: number) =>
    Math.min(asked.available, Math.floor(budget / (speed.perImage + speed.perStep / batch)));
  let batchSize = refused ? powerOfTwoAtMost(limit) : asked.batchSize;
  while (batchSize > MIN_BATCH) {
    const half = Math.max(MIN_BATCH, batchSize >> 1);
    const steps = fits(batchSize) / batchSize;
    if (steps >= MIN_STEPS || fits(half) / half < 1.5 * steps) break;
    batchSize = half;
  }
  const samples = Math.max(batchSize, Math.floor(fits(batchSize) / batchSize) * batchSize);
  return {
    seconds,
    fullSeconds,
    suggestion: { samples, batchSize, seconds: runSeconds(speed, asked.epochs, samples, batchSize) },
  };
}

/** "about 40 seconds", "about a minute", "about 14 minutes", "about 2.5 hours": a duration as the plan words it. */
export function aboutDuration(seconds: number): string {
  if (seconds >= 45 && seconds < 90) return 'about a minute';
  if (seconds < 45) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} seconds`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  const hours = seconds / 3600;
  return `about ${hours < 10 ? hours.toFixed(1) : Math.round(hours)} hours`;
}
