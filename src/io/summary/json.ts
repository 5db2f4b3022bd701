import type { Analysis, LayerResult } from '../../engine/analysis/result';
import { notationOf, weightIn } from '../../engine/notation';
import { countIn, type ParamSums } from '../../engine/analysis/param-counts';
import type { DataFormat, Dim } from '../../engine/shape/shape';
import { diagnosticText, type Severity } from '../../engine/model/diagnostic';
import { countsExact } from '../../engine/analysis/analyze';

/**
 * The summary object of `cli summary --json` and of the embed API's `convscope:summary`: a
 * contract. Shapes are batch first (null) in the model's own layout; weights in the model's
 * own framework convention (Keras for channels_last, PyTorch for channels_first), and so are
 * the shapes in diagnostics' messages.
 */
export interface SummaryJson {
  readonly name: string;
  readonly dataFormat: DataFormat;
  readonly layers: readonly LayerSummary[];
  readonly outputs: readonly string[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Weights of frozen layers that are otherwise trained by gradient (part of `nonTrainableParams`). */
  readonly frozenParams: number;
  /**
   * The totals as each framework counts them (added in 0.1; the three fields above are Keras'):
   * PyTorch's `parameters()` without batch norm's running statistics, which are buffers
   * (`num_batches_tracked` not counted), `trainable` those with `requires_grad`; and Keras'
   * `count_params()` split as `model.summary()`.
   */
  readonly frameworks: {
    readonly pytorch: { readonly parameters: number; readonly trainable: number; readonly buffers: number };
    readonly keras: { readonly total: number; readonly trainable: number; readonly nonTrainable: number };
  };
  readonly macs: number | null;
  /**
   * False when a layer could not be analysed: the parameter totals and MACs then count only the
   * layers that could be, and are lower bounds.
   */
  readonly complete: boolean;
  /**
   * False when a count here (parameters, MACs, activation sizes) is past 2^53: JSON and
   * JavaScript numbers are doubles, so such a count is rounded.
   */
  readonly countsExact: boolean;
  readonly diagnostics: readonly { layer: string | null; severity: Severity; code: string; message: string }[];
}

export interface LayerSummary {
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly string[];
  readonly outputShape: readonly Dim[] | null;
  readonly weights: readonly { name: string; shape: readonly number[] }[];
  readonly params: number;
  readonly trainableParams: number;
  /**
   * Keras' non-trainable weights: batch norm's running statistics (PyTorch's buffers), and every
   * weight of a frozen layer.
   */
  readonly nonTrainableParams: number;
  /** Present (true) when the layer is frozen (`trainable: false`). */
  readonly frozen?: true;
  readonly macs: number | null;
  readonly activationSize: number | null;
  readonly receptiveField: { size: number[]; jump: number[]; start: (number | null)[] } | null;
  readonly children?: readonly LayerSummary[];
}

export function summaryJson(analysis: Analysis): SummaryJson {
  const { model, totals } = analysis;
  return {
    name: model.name,
    dataFormat: model.dataFormat,
    layers: analysis.layers.map((l) => layerSummary(l, model.dataFormat)),
    outputs: analysis.outputs,
    totalParams: totals.params,
    trainableParams: totals.trainableParams,
    nonTrainableParams: totals.nonTrainableParams,
    frozenParams: totals.frozenParams,
    frameworks: frameworks(totals),
    macs: totals.macs,
    complete: totals.complete,
    countsExact: countsExact(analysis),
    diagnostics: analysis.diagnostics.map((d) => ({
      layer: d.layer,
      severity: d.severity,
      code: d.code,
      message: diagnosticText(d, model.dataFormat, notationOf(model.dataFormat)),
    })),
  };
}

function frameworks(totals: ParamSums): SummaryJson['frameworks'] {
  const pytorch = countIn(totals, 'pytorch');
  const { total, trainable, nonTrainable } = countIn(totals, 'keras');
  return {
    pytorch: { parameters: pytorch.parameters, trainable: pytorch.trainable, buffers: pytorch.buffers },
    keras: { total, trainable, nonTrainable },
  };
}

function layerSummary(l: LayerResult, format: DataFormat): LayerSummary {
  const notation = notationOf(format);
  const rf = l.receptiveField;
  return {
    name: l.name,
    type: l.type,
    inputs: l.inputs,
    outputShape: l.output ? [null, ...l.output] : null,
    weights: l.weights.map((w) => {
      const { name, shape } = weightIn(w, notation);
      return { name, shape: [...shape] };
    }),
    params: l.params,
    trainableParams: l.trainableParams,
    nonTrainableParams: l.nonTrainableParams,
    ...(l.frozen ? { frozen: true as const } : {}),
    macs: l.macs,
    activationSize: l.activationSize,
    receptiveField: rf
      ? { size: rf.axes.map((a) => a.size), jump: rf.axes.map((a) => a.jump), start: rf.axes.map((a) => a.start) }
      : null,
    ...(l.children ? { children: l.children.map((c) => layerSummary(c, format)) } : {}),
  };
}
