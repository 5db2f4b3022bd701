import type { OptimizerName } from './optimizer';
import type { Schedule } from './schedule';

/** Everything a training run is set by; the Train panel's form and the embed API's `config`. */
export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
  /** Peak learning rate (one-cycle's maximum; the start of cosine and step). */
  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly schedule: Schedule;
  readonly labelSmoothing: number;
  /** Random crops (4-pixel padding) and horizontal flips, as He et al. 2016 on CIFAR-10. */
  readonly augment: boolean;
  readonly seed: number;
  readonly maxTrainSamples?: number;
  readonly maxTestSamples?: number;
}

/**
 * The recipe (the exported training script's defaults): SGD with Nesterov momentum 0.9, weight
 * decay 5e-4, one-cycle to 0.2, label smoothing 0.1, crops and flips; a batch of 64 keeps steps
 * short in a tab.
 */
export const DEFAULT_CONFIG: TrainConfig = {
  epochs: 5,
  batchSize: 64,
  optimizer: 'sgd',
  learningRate: 0.2,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 5e-4,
  schedule: 'onecycle',
  labelSmoothing: 0.1,
  augment: true,
  seed: 1,
};
