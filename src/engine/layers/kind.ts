import type { z } from 'zod';
import type { Issue } from '../model/diagnostic';
import type { ModelLayer } from '../model/model';
import type { WeightTensor } from '../model/weights';
import { identityWindows, type LocalField } from '../analysis/receptive-field';
import type { LayerResult } from '../analysis/result';
import type { SidePadding } from '../shape/conv-arithmetic';
import type { DataFormat, Dim, Shape } from '../shape/shape';

/** Groups of the palette, in the order the editor shows them. */
export type LayerCategory =
  | 'input'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'activation'
  | 'dense'
  | 'shape'
  | 'merge'
  | 'sequence'
  | 'wrapper'
  | 'block';

/** How a window (kernel or pool) slides along one spatial axis, resolved for this input. */
export interface AxisGeometry {
  readonly input: Dim;
  readonly output: Dim;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** [before, after]; `null` when it depends on an unknown input size. */
  readonly padding: SidePadding | null;
}

/** Analyses a sub-graph (a block's layers, a wrapped layer) fed by one tensor of shape `input`. */
export type SubAnalyzer = (layers: readonly ModelLayer[], input: Shape) => SubAnalysis;

export interface SubAnalysis {
  /** The sub-graph's layers after its input, in order. */
  readonly layers: readonly LayerResult[];
  readonly output: LayerResult | undefined;
}

export interface InferContext<S> {
  readonly spec: S;
  /** Shapes of the inputs, already known to be valid. */
  readonly inputs: readonly Shape[];
  /** Names of the layers feeding this one, for messages. */
  readonly inputNames: readonly string[];
  readonly format: DataFormat;
  readonly analyzeSub: SubAnalyzer;
}

/** What a layer rule finds: its output and everything the summary shows about it. */
export interface Inference {
  /** `null` when the layer cannot be built (its issues then hold at least one error). */
  readonly output: Shape | null;
  readonly weights: readonly WeightTensor[];
  /** Multiply-accumulates per example; `null` when a size is unknown. */
  readonly macs: number | null;
  readonly field: LocalField;
  readonly issues: readonly Issue[];
  readonly geometry?: readonly AxisGeometry[];
  readonly children?: readonly LayerResult[];
}

/**
 * One kind of layer: its fields (a schema that validates and documents them), its place in the
 * palette and its shape rule. Adding a layer kind is one file with one of these, plus its entry
 * in the registry.
 */
export interface LayerKind<S extends { readonly type: string }> {
  readonly type: S['type'];
  readonly category: LayerCategory;
  /** One sentence for the palette and the docs. */
  readonly summary: string;
  readonly schema: z.ZodType<S>;
  /** Fields of a new layer of this kind, as the palette inserts it (the rest are defaults). */
  readonly template?: Readonly<Record<string, unknown>>;
  /**
   * Where PyTorch's defaults differ from Keras' (the schema's defaults are Keras'): the fields a
   * new layer takes when the model is shown in PyTorch notation.
   */
  readonly pytorchTemplate?: Readonly<Record<string, unknown>>;
  /** 'none' for inputs, 'one' for most layers, 'many' for merges (two or more). */
  readonly arity: 'none' | 'one' | 'many';
  infer(ctx: InferContext<NoInfer<S>>): Inference;
}

/** Declares a layer kind; the identity, there so that its spec type is inferred from its schema. */
export function defineLayer<S extends { readonly type: string }>(kind: LayerKind<S>): LayerKind<S> {
  return kind;
}

/** An inference that failed with these issues. */
export function failed(...issues: Issue[]): Inference {
  return { output: null, weights: [], macs: 0, field: null, issues };
}

const NO_WEIGHTS: readonly never[] = [];
const NO_ISSUES: readonly Issue[] = [];

/** An inference for a layer without weights whose output positions map one-to-one. */
export function passThrough(output: Shape, spatialRank: number, issues: readonly Issue[] = NO_ISSUES): Inference {
  return { output, weights: NO_WEIGHTS, macs: 0, field: identityWindows(spatialRank), issues };
}

/** The number of spatial axes a kind's name states: 1 for Conv1D, 3 for MaxPooling3D (2 when it states none). */
export function rankInName(type: string): 1 | 2 | 3 {
  const match = /([123])D(?:Transpose)?$/.exec(type);
  return match ? (Number(match[1]) as 1 | 2 | 3) : 2;
}
