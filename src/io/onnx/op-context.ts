import type { Mapped } from '../keras/layers';
import { attribute, type Constant } from './constants';
import { toNumber, type NodeProto } from './proto';

/**
 * ONNX operators → ConvScope layer fields, channels first (NCHW, as PyTorch exports them). Sizes
 * come from what the file holds: a convolution's filters and kernel from its weight
 * initializer's dims, a Dense layer's units from its matrix. Each mapper sees one node, its
 * constant inputs and the rank of its first input (batch counted).
 */
export interface OpContext {
  readonly node: NodeProto;
  /** The constant at input `i` (an initializer or a folded Constant), if it is one. */
  constant(i: number): Constant | undefined;
  /** Whether input `i` is one of the file's initializers (stored weights, not a computed constant). */
  initializer(i: number): boolean;
  /** Axes of the node's first input, batch counted; undefined where unknown. */
  readonly rank: number | undefined;
  /** How many of the node's inputs are other layers' outputs. */
  readonly layerInputs: number;
  /** The size of axis `axis` (batch counted) of the first input, where the analysis knows it. */
  sizeOf(axis: number): number | undefined;
}

/**
 * A mapped node: layer fields, a message, `alias` (Identity: the input passes unchanged) or
 * `chain`: several layers one after the other (a Slice of several axes, one per axis).
 */
export type OpMapped = Mapped | { alias: true } | { chain: Record<string, unknown>[] };

export type OpMapper = (ctx: OpContext) => OpMapped;

export const ints = (node: NodeProto, name: string) => attribute(node, name)?.ints?.map(toNumber);
export const int = (node: NodeProto, name: string, fallback: number) => {
  const a = attribute(node, name);
  return a?.i !== undefined ? toNumber(a.i) : fallback;
};
export const float = (node: NodeProto, name: string) => attribute(node, name)?.f;
export const text = (node: NodeProto, name: string) => {
  const s = attribute(node, name)?.s;
  return s ? new TextDecoder().decode(s) : undefined;
};
export const fields = (f: Record<string, unknown>): OpMapped => ({
  fields: Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
});
export const no = (why: string): OpMapped => ({ unsupported: why });

/** ONNX `pads` [x1_begin, x2_begin, …, x1_end, x2_end, …] → [before, after] per axis, or 'valid'. */
export function padding(node: NodeProto, rank: number): unknown {
  const auto = text(node, 'auto_pad');
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') return 'same';
  if (auto === 'VALID') return 'valid';
  const pads = ints(node, 'pads') ?? [];
  if (pads.every((p) => p === 0)) return 'valid';
  return Array.from({ length: rank }, (_, i) => [pads[i] ?? 0, pads[i + rank] ?? 0]);
}

export const spatialRankOf = (ctx: OpContext, weight?: Constant) =>
  weight ? weight.dims.length - 2 : ctx.rank !== undefined ? ctx.rank - 2 : undefined;

export function window(ctx: OpContext, rank: number) {
  const { node } = ctx;
  return {
    strides: ints(node, 'strides') ?? 1,
    padding: padding(node, rank),
    dilationRate: ints(node, 'dilations') ?? 1,
  };
}
