import { attribute } from './constants';
import { fields, float, int, ints, no, padding, spatialRankOf, window, type OpMapper } from './op-context';

/** ONNX operators with weights or windows: convolutions, Gemm/MatMul (Dense), batch norm, pooling. */
export const conv: OpMapper = (ctx) => {
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

export const convTranspose: OpMapper = (ctx) => {
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

export const gemm: OpMapper = (ctx) => {
  const b = ctx.constant(1);
  if (!b || b.dims.length !== 2) return no('its matrix B is not a 2-D constant of the file');
  if (int(ctx.node, 'transA', 0) !== 0) return no('transA = 1 (a transposed input) is not a Dense layer');
  const units = int(ctx.node, 'transB', 0) ? b.dims[0] : b.dims[1];
  return fields({ type: 'Dense', units, useBias: ctx.node.input?.[2] ? true : false });
};

export const matMul: OpMapper = (ctx) => {
  const b = ctx.constant(1);
  if (!b || b.dims.length !== 2) return no('only a product with a constant 2-D matrix (a Dense layer) is read');
  return fields({ type: 'Dense', units: b.dims[1], useBias: false });
};

export const batchNorm: OpMapper = (ctx) =>
  fields({
    type: 'BatchNormalization',
    epsilon: float(ctx.node, 'epsilon') ?? 1e-5,
    momentum: float(ctx.node, 'momentum') ?? 0.9,
  });

export const pool =
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

export const globalPool =
  (kind: 'Max' | 'Average'): OpMapper =>
  (ctx) => {
    const rank = spatialRankOf(ctx);
    if (rank !== 1 && rank !== 2 && rank !== 3)
      return no('the input rank is not that of a 1-D, 2-D or 3-D feature map');
    return fields({ type: `Global${kind}Pooling${rank}D`, keepdims: true });
  };

/** ReduceMean/ReduceMax over every spatial axis is global pooling (`x.mean([2, 3])`). */
export const reduce =
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

export const dropout: OpMapper = (ctx) =>
  fields({ type: 'Dropout', rate: ctx.constant(1)?.values?.[0] ?? float(ctx.node, 'ratio') ?? 0.5 });
