import type { Notation } from '../notation';
import { formatCount } from '../shape/format';
import { countOf } from '../text/plural';

/** The three sums every layer and model carries (see `LayerResult`, `Totals`). */
export interface ParamSums {
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /**
   * Weights trained by gradient whose layer is frozen: part of `nonTrainableParams` (Keras), and
   * PyTorch parameters with `requires_grad` False.
   */
  readonly frozenParams: number;
}

/**
 * Parameters as a framework counts them.
 *
 * - PyTorch: `sum(p.numel() for p in model.parameters())` (what torchinfo's "Total params"
 *   says) holds only tensors trained by gradient. Batch norm's `running_mean` and `running_var`
 *   are buffers (`model.buffers()`), reported apart. `num_batches_tracked`, one integer counter
 *   per batch norm, is a buffer too but no weight of the network, so it is not counted here.
 * - Keras: `model.count_params()` and `model.summary()`'s "Total params" count every weight,
 *   batch norm's `moving_mean`/`moving_variance` included, split into trainable and
 *   non-trainable.
 *
 * A frozen layer's weights (Keras `trainable = False`, PyTorch `requires_grad_(False)`) stay
 * weights: Keras counts them as non-trainable, PyTorch still among `parameters()`, with
 * `requires_grad` False, so `trainable` there is `sum(p.numel() for p in model.parameters() if
 * p.requires_grad)`.
 */
export type FrameworkCount = PyTorchCount | KerasCount;

export interface PyTorchCount {
  readonly notation: 'pytorch';
  readonly parameters: number;
  /** Parameters with `requires_grad` (not frozen). */
  readonly trainable: number;
  readonly buffers: number;
}

export interface KerasCount {
  readonly notation: 'keras';
  readonly total: number;
  readonly trainable: number;
  readonly nonTrainable: number;
}

/** A layer's or model's parameter count in `notation`'s framework (see `FrameworkCount`). */
export function countIn(sums: ParamSums, notation: 'pytorch'): PyTorchCount;
export function countIn(sums: ParamSums, notation: 'keras'): KerasCount;
export function countIn(sums: ParamSums, notation: Notation): FrameworkCount;
export function countIn(sums: ParamSums, notation: Notation): FrameworkCount {
  return notation === 'pytorch'
    ? {
        notation,
        parameters: sums.trainableParams + sums.frozenParams,
        trainable: sums.trainableParams,
        buffers: sums.nonTrainableParams - sums.frozenParams,
      }
    : { notation, total: sums.params, trainable: sums.trainableParams, nonTrainable: sums.nonTrainableParams };
}

/** The one number a table's Params column shows: `parameters()` (PyTorch) or `count_params()` (Keras). */
export function headlineParams(sums: ParamSums, notation: Notation): number {
  return notation === 'pytorch' ? sums.trainableParams + sums.frozenParams : sums.params;
}

/**
 * One line for people: "269,722 parameters · 1,376 in buffers (batch-norm running statistics)"
 * in PyTorch ("…parameters (290 trainable, 112 frozen)" when some are frozen), "271,098
 * parameters (269,722 trainable, 1,376 non-trainable)" in Keras. Parts that are zero are left out.
 */
export function countText(count: FrameworkCount): string {
  if (count.notation === 'pytorch') {
    const frozen = count.parameters - count.trainable;
    const split = frozen > 0 ? ` (${formatCount(count.trainable)} trainable, ${formatCount(frozen)} frozen)` : '';
    const buffers =
      count.buffers > 0 ? ` · ${formatCount(count.buffers)} in buffers (batch-norm running statistics)` : '';
    return `${countOf(count.parameters, 'parameter')}${split}${buffers}`;
  }
  const split =
    count.nonTrainable > 0
      ? ` (${formatCount(count.trainable)} trainable, ${formatCount(count.nonTrainable)} non-trainable)`
      : '';
  return `${countOf(count.total, 'parameter')}${split}`;
}
