import type { Diagnostic, Issue } from '../model/diagnostic';
import type { Model } from '../model/model';
import type { WeightTensor } from '../model/weights';
import type { AxisGeometry } from '../layers/kind';
import type { LayerSpec } from '../layers/registry';
import type { Shape } from '../shape/shape';
import type { ReceptiveField } from './receptive-field';

/** Everything the engine knows about one layer of an analysed model. */
export interface LayerResult {
  readonly name: string;
  /** The layer's type as the user knows it: the Keras class it was imported as, or its kind. */
  readonly type: string;
  readonly spec: LayerSpec | null;
  readonly inputs: readonly string[];
  readonly inputShapes: readonly (Shape | null)[];
  /** One example's output shape; `null` when the layer cannot be built. */
  readonly output: Shape | null;
  readonly weights: readonly WeightTensor[];
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Weights trained by gradient that this frozen layer keeps fixed (see `ParamSums`). */
  readonly frozenParams: number;
  /** True when the layer is frozen (`trainable: false`), or inside a frozen block. */
  readonly frozen?: true;
  /** Multiply-accumulates per example (convolutions and dense layers); `null` if a size is unknown. */
  readonly macs: number | null;
  /** Elements of the output per example; `null` if a size is unknown. */
  readonly activationSize: number | null;
  readonly receptiveField: ReceptiveField | null;
  readonly geometry?: readonly AxisGeometry[];
  /** The layers inside a block or wrapper. */
  readonly children?: readonly LayerResult[];
  readonly issues: readonly Issue[];
}

export interface Totals {
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly frozenParams: number;
  /** `null` when any layer's MACs depend on an unknown size. */
  readonly macs: number | null;
  /**
   * False when a layer could not be analysed: its weights (and those of the layers it feeds) are
   * unknown, so the sums are lower bounds ("at least …"), never exact.
   */
  readonly complete: boolean;
}

export interface Analysis {
  readonly model: Model;
  /** In the model's own order. */
  readonly layers: readonly LayerResult[];
  readonly outputs: readonly string[];
  readonly totals: Totals;
  /** Every problem, in the model's layer order. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when no diagnostic is an error. */
  readonly ok: boolean;
}
