import type { Mapped } from '../keras/layers';
import { LIMITS } from '../../engine/layers/fields';
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
  /** Axes of the node's first input, batch counted; undefined where unknown. */
  readonly rank: number | undefined;
  /** How many of the node's inputs are other layers' outputs. */
  readonly layerInputs: number;
  /** The size of axis `axis` (batch counted) of the first input, where the analysis knows it. */
  sizeOf(axis: number): number | undefined;
}

/** A mapped node: layer fields, a message, or `alias` (Identity: the input passes unchanged). */
export type OpMapped = Mapped | { alias: true };

type OpMapper = (ctx: OpContext) => OpMapped;

const ints = (node: NodeProto, name: string) => attribute(node, name)?.ints?.map(toNumber);
const int = (node: NodeProto, name: string, fallback: number) => {
  const a = attribute(node, name);
  return a?.i !== undefined ? toNumber(a.i) : fallback;
};
const float = (node: NodeProto, name: string) => attribute(node, name)?.f;
const text = (node: NodeProto, name: string) => {
  const s = attribute(node, name)?.s;
  return s ? new TextDecoder().decode(s) : undefined;
};
const fields = (f: Record<string, unknown>): OpMapped => ({
  fields: Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
});
const no = (why: string): OpMapped => ({ unsupported: why });

/** ONNX `pads` [x1_begin, x2_begin, …, x1_end, x2_end, …] → [before, after] per axis, or 'valid'. */
function padding(node: NodeProto, rank: number): unknown {
  const auto = text(node, 'auto_pad');
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') return 'same';
  if (auto === 'VALID') return 'valid';
  const pads = ints(node, 'pads') ?? [];
  if (pads.every((p) => p === 0)) return 'valid';
  return Array.from({ length: rank }, (_, i) => [pads[i] ?? 0, pads[i + rank] ?? 0]);
}

const spatialRankOf = (ctx: OpContext, weight?: Constant) =>
  weight ? weight.dims.length - 2 : ctx.rank !== undefined ? ctx.rank - 2 : undefined;

function window(ctx: OpContext, rank: number) {
  const { node } = ctx;
  return {
    strides: ints(node, 'strides') ?? 1,
    padding: padding(node, rank),
    dilationRate: ints(node, 'dilations') ?? 1,
  };
}

const conv: OpMapper = (ctx) => {
  const w = ctx.constant(1);
  if (!w) return no('its weights are not a constant of the file (an initializer)');
  const rank = spatialRankOf(ctx, w) as number;
  if (rank !== 1 && rank !== 2 && rank !== 3) return no(`a ${rank}-D convolution: ConvScope has 1-D to 3-D ones`);
  const [filters, perGroup] = w.dims as [number, number];
  const group = int(ctx.node, 'group', 1);
  const kernelSize = ints(ctx.node, 'kernel_shape') ?? w.dims.slice(2);
  const useBias = ctx.node.input?.[2] ? true : false;
  if (group > 1 && perGroup === 1 && rank === 2)
    return fields({
      type: 'DepthwiseConv2D',
      depthMultiplier: filters / group,
      kernelSize,
      useBias,
      ...window(ctx, 2),
    });
  return fields({ type: `Conv${rank}D`, filters, kernelSize, groups: group, useBias, ...window(ctx, rank) });
};

const convTranspose: OpMapper = (ctx) => {
  const w = ctx.constant(1);
  if (!w) return no('its weights are not a constant of the file (an initializer)');
  const rank = spatialRankOf(ctx, w) as number;
  if (rank !== 1 && rank !== 2) return no(`a ${rank}-D transposed convolution: ConvScope has 1-D and 2-D ones`);
  if (attribute(ctx.node, 'output_shape')) return no('output_shape is given: ConvScope reads pads and output_padding');
  const group = int(ctx.node, 'group', 1);
  const pad = padding(ctx.node, rank);
  const symmetric = Array.isArray(pad) ? pad.map(([a, b]: number[]) => (a === b ? a : null)) : pad;
  if (Array.isArray(symmetric) && symmetric.includes(null))
    return no('its pads differ before and after: PyTorch and ConvScope pad both sides alike');
  return fields({
    type: `Conv${rank}DTranspose`,
    filters: (w.dims[1] as number) * group,
    kernelSize: ints(ctx.node, 'kernel_shape') ?? w.dims.slice(2),
    strides: ints(ctx.node, 'strides') ?? 1,
    padding: symmetric,
    outputPadding: ints(ctx.node, 'output_padding') ?? null,
    dilationRate: ints(ctx.node, 'dilations') ?? 1,
    groups: group,
    useBias: ctx.node.input?.[2] ? true : false,
  });
};

const gemm: OpMapper = (ctx) => {
  const b = ctx.constant(1);
  if (!b || b.dims.length !== 2) return no('its matrix B is not a 2-D constant of the file');
  if (int(ctx.node, 'transA', 0) !== 0) return no('transA = 1 (a transposed input) is not a Dense layer');
  const units = int(ctx.node, 'transB', 0) ? b.dims[0] : b.dims[1];
  return fields({ type: 'Dense', units, useBias: ctx.node.input?.[2] ? true : false });
};

const matMul: OpMapper = (ctx) => {
  const b = ctx.constant(1);
  if (!b || b.dims.length !== 2) return no('only a product with a constant 2-D matrix (a Dense layer) is read');
  return fields({ type: 'Dense', units: b.dims[1], useBias: false });
};

const merge =
  (type: string): OpMapper =>
  (ctx) =>
    ctx.layerInputs === (ctx.node.input?.length ?? 0) && ctx.layerInputs >= 2
      ? fields({ type })
      : no('an operation with a constant tensor (only one between layers is a merge)');

const activation =
  (name: string, alphaName?: string, alphaDefault?: number): OpMapper =>
  (ctx) =>
    fields({
      type: 'Activation',
      activation: name,
      alpha: alphaName ? (float(ctx.node, alphaName) ?? alphaDefault) : undefined,
    });

const softmax: OpMapper = (ctx) => {
  const axis = int(ctx.node, 'axis', -1);
  return ctx.rank === undefined || axis === -1 || axis === ctx.rank - 1
    ? fields({ type: 'Activation', activation: 'softmax' })
    : no(`softmax over axis ${axis}: ConvScope's is over the last axis`);
};

const clip: OpMapper = (ctx) => {
  const min = ctx.constant(1)?.values?.[0] ?? float(ctx.node, 'min');
  const max = ctx.constant(2)?.values?.[0] ?? float(ctx.node, 'max');
  if (min === 0 && max === 6) return fields({ type: 'Activation', activation: 'relu6' });
  if (min === 0 && max === undefined) return fields({ type: 'Activation', activation: 'relu' });
  return no(`Clip to [${min ?? '-∞'}, ${max ?? '∞'}]: ConvScope reads Clip(0, 6) (ReLU6) and Clip(0) (ReLU)`);
};

const batchNorm: OpMapper = (ctx) =>
  fields({
    type: 'BatchNormalization',
    epsilon: float(ctx.node, 'epsilon') ?? 1e-5,
    momentum: float(ctx.node, 'momentum') ?? 0.9,
  });

const pool =
  (kind: 'Max' | 'Average'): OpMapper =>
  (ctx) => {
    const kernel = ints(ctx.node, 'kernel_shape') ?? [];
    const rank = kernel.length;
    if (rank !== 1 && rank !== 2 && rank !== 3) return no(`a ${rank}-D pooling: ConvScope has 1-D to 3-D ones`);
    if ((ints(ctx.node, 'dilations') ?? []).some((d) => d > 1)) return no('a dilated pooling window');
    return fields({
      type: `${kind}Pooling${rank}D`,
      poolSize: kernel,
      strides: ints(ctx.node, 'strides') ?? 1,
      padding: padding(ctx.node, rank),
      ceilMode: int(ctx.node, 'ceil_mode', 0) === 1,
    });
  };

const globalPool =
  (kind: 'Max' | 'Average'): OpMapper =>
  (ctx) => {
    const rank = spatialRankOf(ctx);
    if (rank !== 1 && rank !== 2 && rank !== 3)
      return no('the input rank is not that of a 1-D, 2-D or 3-D feature map');
    return fields({ type: `Global${kind}Pooling${rank}D`, keepdims: true });
  };

/** ReduceMean/ReduceMax over every spatial axis is global pooling (`x.mean([2, 3])`). */
const reduce =
  (kind: 'Max' | 'Average'): OpMapper =>
  (ctx) => {
    const rank = spatialRankOf(ctx);
    const axes = (ctx.constant(1)?.values ?? ints(ctx.node, 'axes') ?? []).map((a) =>
      a < 0 ? a + (ctx.rank ?? 0) : a,
    );
    const spatial = Array.from({ length: rank ?? 0 }, (_, i) => i + 2);
    if (
      (rank !== 1 && rank !== 2 && rank !== 3) ||
      axes.length !== spatial.length ||
      !spatial.every((a) => axes.includes(a))
    )
      return no('only a reduction over all the spatial axes (global pooling) is read');
    return fields({ type: `Global${kind}Pooling${rank}D`, keepdims: int(ctx.node, 'keepdims', 1) === 1 });
  };

const flatten: OpMapper = (ctx) =>
  int(ctx.node, 'axis', 1) === 1 ? fields({ type: 'Flatten' }) : no('Flatten with axis ≠ 1 (the batch axis kept)');

const reshape: OpMapper = (ctx) => {
  const shape = ctx.constant(1)?.values;
  if (!shape) return no('its target shape is computed in the graph, not a constant of the file');
  const rest = shape.slice(1);
  if (rest.includes(0)) return no(`target shape [${shape.join(', ')}] copies input sizes (0): give them as numbers`);
  if (shape[0] === -1 && rest.includes(-1)) return no(`target shape [${shape.join(', ')}] leaves two sizes open`);
  return fields({ type: 'Reshape', targetShape: rest.length ? rest : [1] });
};

const transpose: OpMapper = (ctx) => {
  const perm = ints(ctx.node, 'perm');
  if (!perm || perm[0] !== 0) return no('a transpose that moves the batch axis');
  return fields({ type: 'Permute', dims: perm.slice(1) });
};

/** Pads of every axis; opset 18's `axes` input names the axes that `pads` covers, the rest get none. */
function allPads(ctx: OpContext): number[] | undefined {
  const pads = ctx.constant(1)?.values ?? ints(ctx.node, 'pads');
  const axes = ctx.constant(3)?.values;
  if (!pads || !axes || ctx.rank === undefined) return pads ? [...pads] : undefined;
  const rank = ctx.rank;
  const out = new Array<number>(rank * 2).fill(0);
  axes.forEach((a, i) => {
    const axis = a < 0 ? a + rank : a;
    out[axis] = pads[i] ?? 0;
    out[axis + rank] = pads[i + axes.length] ?? 0;
  });
  return out;
}

const pad: OpMapper = (ctx) => {
  const pads = allPads(ctx);
  const mode = text(ctx.node, 'mode') ?? 'constant';
  if (!pads) return no('its pads are computed in the graph, not constants of the file');
  if (mode !== 'constant') return no(`'${mode}' padding: ConvScope pads with zeros`);
  const rank = pads.length / 2;
  if (pads[0] || pads[1] || pads[rank] || pads[rank + 1]) return no('it pads the batch or channel axis');
  const sides = Array.from({ length: rank - 2 }, (_, i) => [pads[i + 2] ?? 0, pads[i + 2 + rank] ?? 0]);
  if (sides.length === 1) return fields({ type: 'ZeroPadding1D', padding: sides[0] });
  if (sides.length === 2 || sides.length === 3) return fields({ type: `ZeroPadding${sides.length}D`, padding: sides });
  return no(`padding of ${sides.length} spatial axes`);
};

const resize: OpMapper = (ctx) => {
  const isUpsample = ctx.node.op_type === 'Upsample';
  const scales = ctx.constant(isUpsample ? 1 : 2)?.values ?? attribute(ctx.node, 'scales')?.floats;
  const mode = text(ctx.node, 'mode') ?? 'nearest';
  if (!scales?.length) return no('it gives output sizes, not scales: ConvScope reads whole-number scale factors');
  const size = scales.slice(2);
  if (scales[0] !== 1 || scales[1] !== 1 || !size.every((s) => Number.isInteger(s) && s >= 1))
    return no(`scales [${scales.join(', ')}]: ConvScope reads whole-number factors of the spatial axes`);
  if (mode !== 'nearest' && mode !== 'linear') return no(`'${mode}' interpolation`);
  if (size.length === 3 && mode !== 'nearest') return no("trilinear upsampling: ConvScope's 3-D upsampling repeats");
  if (size.length < 1 || size.length > 3) return no(`upsampling of ${size.length} spatial axes`);
  return fields({
    type: `UpSampling${size.length}D`,
    size,
    interpolation: mode === 'linear' ? 'bilinear' : 'nearest',
  });
};

/** A Slice of one axis with step 1 (torch.chunk, split and x[:, a:b] export as this): a Slice layer. */
const slice: OpMapper = (ctx) => {
  const { node } = ctx;
  const starts = ctx.constant(1)?.values ?? ints(node, 'starts');
  const ends = ctx.constant(2)?.values ?? ints(node, 'ends');
  if (!starts || !ends) return no('its starts and ends are computed in the graph from values ConvScope does not know');
  const axes = ctx.constant(3)?.values ?? ints(node, 'axes') ?? starts.map((_, i) => i);
  const steps = ctx.constant(4)?.values;
  if (starts.length !== 1) return no('it slices several axes at once: ConvScope’s Slice keeps a range of one axis');
  if (steps && steps[0] !== 1) return no(`a slice with step ${steps[0]}: ConvScope’s Slice takes every element`);
  const [start, end] = [starts[0] as number, ends[0] as number];
  const given = axes[0] as number;
  const axis = given < 0 && ctx.rank !== undefined ? given + ctx.rank : given;
  if (axis < 0) return no(`axis ${given} counted from the end, of an input whose rank is unknown`);
  if (axis === 0) return no('it slices the batch axis');
  // Counted from the end (x[:, -2:]): resolved with the axis' size, clamped as ONNX clamps.
  const size = start < 0 || end < 0 ? ctx.sizeOf(axis) : undefined;
  if ((start < 0 || end < 0) && size === undefined)
    return no(`start ${start}, end ${end} count from the end of an axis whose size is not known`);
  const from = start < 0 ? Math.max(0, start + (size as number)) : start;
  const to = end < 0 ? Math.max(0, end + (size as number)) : end;
  return fields({ type: 'Slice', axis, start: from, end: Math.min(to, LIMITS.size) });
};

const dropout: OpMapper = (ctx) =>
  fields({ type: 'Dropout', rate: ctx.constant(1)?.values?.[0] ?? float(ctx.node, 'ratio') ?? 0.5 });

/** ONNX op_type → mapper (the default domain, opsets 7 to 18). */
export const onnxOps: Readonly<Record<string, OpMapper>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  Add: merge('Add'),
  Sum: merge('Add'),
  Mul: merge('Multiply'),
  Max: merge('Maximum'),
  Mean: merge('Average'),
  Concat: (ctx) => fields({ type: 'Concatenate', axis: int(ctx.node, 'axis', 1) }),
  Relu: activation('relu'),
  LeakyRelu: activation('leaky_relu', 'alpha', 0.01),
  Elu: activation('elu', 'alpha', 1),
  Selu: activation('selu'),
  Sigmoid: activation('sigmoid'),
  HardSigmoid: activation('hard_sigmoid'),
  HardSwish: activation('hard_swish'),
  Tanh: activation('tanh'),
  Softplus: activation('softplus'),
  Softsign: activation('softsign'),
  Mish: activation('mish'),
  Gelu: activation('gelu'),
  Softmax: softmax,
  LogSoftmax: softmax,
  Clip: clip,
  BatchNormalization: batchNorm,
  MaxPool: pool('Max'),
  AveragePool: pool('Average'),
  GlobalAveragePool: globalPool('Average'),
  GlobalMaxPool: globalPool('Max'),
  ReduceMean: reduce('Average'),
  ReduceMax: reduce('Max'),
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Dropout: dropout,
  Slice: slice,
  Identity: () => ({ alias: true }),
};

/** Rank (batch counted) of a mapped node's output, from its input's: most keep it. */
export function outputRank(f: Record<string, unknown>, rank: number | undefined): number | undefined {
  if (f['type'] === 'Flatten') return 2;
  if (f['type'] === 'Reshape') return (f['targetShape'] as unknown[]).length + 1;
  if (f['type'] === 'Dense') return rank;
  if (typeof f['type'] === 'string' && f['type'].startsWith('Global') && f['keepdims'] === false) return 2;
  return rank;
}
