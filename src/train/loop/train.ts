import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../data/random';
import type { Dataset, ImageSet } from '../types';
import type { TrainConfig } from './config';
import { DivergedError } from './diverged';
import { InFlight } from './in-flight';
import { crossEntropy } from './loss';
import { Optimizer } from './optimizer';
import { Progress, REPORT_MS } from './progress';
import { learningRate } from './schedule';
import { parallelGradients, shareCount, shareGradients, splitBatch, type Batch, type Helpers } from './shares';

export type { Batch } from './shares';

/** Makes a batch of the given images; `augment` for training batches (crops and flips). */
export type Batcher = (set: ImageSet, indices: ArrayLike<number>, augment: boolean) => Batch;

export interface StepReport {
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  /** This batch's accuracy. */
  readonly accuracy: number;
  readonly learningRate: number;
  /** Training images per second over the epoch so far. */
  readonly imagesPerSecond: number;
  /** Seconds spent training so far in the whole run, pauses not counted. */
  readonly seconds: number;
  readonly tensors: number;
  readonly bytes: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** Live tensors after the epoch: stable from epoch to epoch, or something leaks. */
  readonly tensors: number;
}

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  /** confusion[true][predicted]. */
  readonly confusion: number[][];
  /** The predicted class and its probability for each test image evaluated, in order. */
  readonly predicted: Uint8Array;
  readonly confidence: Float32Array;
}

export interface TrainHooks {
  onStep(report: StepReport): void;
  onEpoch(report: EpochReport): void;
  /** Awaited before every step: resolves 'stop' to end the run (waiting while paused). */
  proceed(): Promise<'go' | 'stop'>;
  /**
   * Shortest time between two onStep calls, REPORT_MS unless given; each reads the step's results
   * back. The first and the last step of an epoch are always reported.
   */
  readonly reportEveryMs?: number;
}

export interface TrainResult {
  readonly stopped: boolean;
  readonly epochs: readonly EpochReport[];
  readonly evaluation: Evaluation | null;
  readonly seconds: number;
  readonly imagesPerSecond: number;
}

const limit = (set: ImageSet, max?: number) => Math.min(set.count, max ?? Infinity);

/**
 * Trains `model` on the data set with the recipe in `config`: an epoch is every training image
 * once in a seeded random order (the last partial batch dropped, as the script's DataLoader
 * does), then the test set. Every tensor of a step is freed before the next. With `helpers`,
 * each batch is split into shares computed in parallel (shares.ts).
 */
export async function train(
  model: tf.LayersModel,
  data: Dataset,
  config: TrainConfig,
  batcher: Batcher,
  hooks: TrainHooks,
  probabilities: boolean,
  helpers?: Helpers,
): Promise<TrainResult> {
  const random = mulberry32(config.seed);
  const trainCount = limit(data.train, config.maxTrainSamples);
  const stepsPerEpoch = Math.max(1, Math.floor(trainCount / config.batchSize));
  const total = stepsPerEpoch * config.epochs;
  const optimizer = new Optimizer({ ...config, name: config.optimizer });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shape = inputShape(model, data);
  const epochs: EpochReport[] = [];
  const started = performance.now();
  let stopped = false;
  let seen = 0;
  // Time spent waiting in a pause is not training time: speeds and the ETA leave it out.
  let pausedMs = 0;
  let evaluation: Evaluation | null = null;
  let progress: Progress | null = null;
  const inFlight = new InFlight();
  try {
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      const order = permutation(trainCount, random);
      const epochStart = performance.now();
      const pausedBefore = pausedMs;
      let [lossSum, right, count] = [0, 0, 0];
      // Steps are queued without waiting for their results; a report reads them back (progress.ts).
      progress = new Progress();
      let lastReport = -Infinity;
      for (let step = 0; step < stepsPerEpoch; step++) {
        const waitStart = performance.now();
        const go = await hooks.proceed();
        pausedMs += performance.now() - waitStart;
        if (go === 'stop') {
          stopped = true;
          break;
        }
        const batch = batcher(
          data.train,
          order.slice(step * config.batchSize, (step + 1) * config.batchSize),
          config.augment,
        );
        const lr = learningRate(config.schedule, config.learningRate, (epoch - 1) * stepsPerEpoch + step, total);
        const { loss, hits } = await trainStep(
          model,
          variables,
          optimizer,
          batch,
          shape,
          config,
          lr,
          probabilities,
          helpers,
        );
        progress.add(loss, hits);
        await inFlight.queued();
        const n = batch.y.length;
        count += n;
        seen += n;
        // The first step, then at most every reportEveryMs, and the epoch's last step (its totals).
        const last = step === stepsPerEpoch - 1;
        if (!last && performance.now() - lastReport < (hooks.reportEveryMs ?? REPORT_MS)) continue;
        const read = await progress.read();
        lastReport = performance.now();
        if (!Number.isFinite(read.lossSum)) throw new DivergedError(read.loss, epoch, step + 1, stepsPerEpoch, lr);
        const [lossValue, hitValue] = [read.loss, read.hits];
        // Every batch of an epoch holds batchSize images (the last partial one is dropped).
        lossSum = read.lossSum * n;
        right = read.hitSum;
        const memory = tf.memory();
        hooks.onStep({
          epoch,
          step: step + 1,
          stepsPerEpoch,
          loss: lossValue,
          accuracy: hitValue / n,
          learningRate: lr,
          imagesPerSecond: count / ((performance.now() - epochStart - (pausedMs - pausedBefore)) / 1000),
          seconds: (performance.now() - started - pausedMs) / 1000,
          tensors: memory.numTensors,
          bytes: memory.numBytes,
        });
      }
      progress.dispose();
      if (stopped || count === 0) break;
      const test = await evaluate(model, data, config, batcher, probabilities);
      evaluation = test;
      const seconds = (performance.now() - epochStart - (pausedMs - pausedBefore)) / 1000;
      const report = {
        epoch,
        trainLoss: lossSum / count,
        trainAccuracy: right / count,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        seconds,
        imagesPerSecond: count / seconds,
        tensors: tf.memory().numTensors,
      };
      epochs.push(report);
      hooks.onEpoch(report);
    }
    // A run stopped mid-epoch is evaluated as it stands.
    if (stopped && seen > 0) evaluation = await evaluate(model, data, config, batcher, probabilities);
    const seconds = (performance.now() - started - pausedMs) / 1000;
    return { stopped, epochs, evaluation, seconds, imagesPerSecond: seen / seconds };
  } finally {
    progress?.dispose();
    optimizer.dispose();
  }
}

/**
 * One example as the model reads it: its input's shape (a sequence model reads [T, C] where the
 * data set holds [1, T, C]); the data set's when the model leaves sizes open.
 */
export function inputShape(model: tf.LayersModel, data: Dataset): number[] {
  const shape = model.inputs[0]?.shape.slice(1) ?? [];
  return shape.every((d) => d !== null) ? (shape as number[]) : [...data.shape];
}

/**
 * One optimisation step; returns the batch's loss and number of correct predictions as scalar
 * tensors (the caller disposes them), without waiting for them: on a GPU the step is queued.
 */
async function trainStep(
  model: tf.LayersModel,
  variables: tf.Variable[],
  optimizer: Optimizer,
  batch: Batch,
  shape: readonly number[],
  config: TrainConfig,
  lr: number,
  probabilities: boolean,
  helpers: Helpers | undefined,
): Promise<{ loss: tf.Scalar; hits: tf.Scalar }> {
  const parts = helpers ? shareCount(batch.y.length, helpers.count) : 1;
  if (helpers && parts > 1) {
    const shares = splitBatch(batch, parts);
    const { grads, loss, hits } = await parallelGradients(
      model,
      variables,
      shares,
      shape,
      config,
      probabilities,
      helpers,
    );
    optimizer.apply(grads, variables, lr);
    tf.dispose(grads);
    return { loss: tf.scalar(loss), hits: tf.scalar(hits) };
  }
  const { loss, hits, grads } = shareGradients(model, variables, batch, shape, config, probabilities);
  optimizer.apply(grads, variables, lr);
  tf.dispose(grads);
  return { loss, hits };
}

/** Loss, accuracy, confusion matrix and per-image predictions on the test set (inference mode). */
export async function evaluate(
  model: tf.LayersModel,
  data: Dataset,
  config: Pick<TrainConfig, 'batchSize' | 'labelSmoothing' | 'maxTestSamples'>,
  batcher: Batcher,
  probabilities: boolean,
): Promise<Evaluation> {
  const count = limit(data.test, config.maxTestSamples);
  const classes = data.classes.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const predicted = new Uint8Array(count);
  const confidence = new Float32Array(count);
  let lossSum = 0;
  const size = Math.max(config.batchSize, 128);
  for (let start = 0; start < count; start += size) {
    const indices = Array.from({ length: Math.min(size, count - start) }, (_, i) => start + i);
    const batch = batcher(data.test, indices, false);
    const [loss, probs] = tf.tidy(() => {
      const x = tf.tensor(batch.x, [indices.length, ...inputShape(model, data)]);
      const out = model.apply(x, { training: false }) as tf.Tensor2D;
      const y = tf.tensor1d(batch.y, 'int32');
      const p = probabilities ? out : tf.softmax(out);
      return [crossEntropy(out, y, config.labelSmoothing, probabilities), p];
    });
    const [lossValue, p] = await Promise.all([loss.data(), probs.data()]);
    loss.dispose();
    probs.dispose();
    lossSum += (lossValue[0] as number) * indices.length;
    indices.forEach((index, i) => {
      let best = 0;
      for (let k = 1; k < classes; k++)
        if ((p[i * classes + k] as number) > (p[i * classes + best] as number)) best = k;
      predicted[index] = best;
      confidence[index] = p[i * classes + best] as number;
      (confusion[batch.y[i] as number] as number[])[best]! += 1;
    });
  }
  const right = confusion.reduce((n, row, k) => n + (row[k] as number), 0);
  return { loss: lossSum / Math.max(count, 1), accuracy: right / Math.max(count, 1), confusion, predicted, confidence };
}
