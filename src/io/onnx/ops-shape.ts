import { LIMITS } from '../../engine/layers/fields';
import { attribute } from './constants';
import { fields, int, ints, no, text, type OpContext, type OpMapper } from './op-context';

/** ONNX operators that move, pad, resize or cut tensors. */
export const flatten: OpMapper = (ctx) =>
  int(ctx.node, 'axis', 1) === 1 ? fields({ type: 'Flatten' }) : no('Flatten with axis ≠ 1 (the batch axis kept)');

export const reshape: OpMapper = (ctx) => {
  const shape = ctx.constant(1)?.values;
  if (!shape) return no('its target shape is computed in the graph, not a constant of the file');
  const rest = shape.slice(1);
  if (rest.includes(0)) return no(`target shape [${shape.join(', ')}] copies input sizes (0): give them as numbers`);
  if (shape[0] === -1 && rest.includes(-1)) return no(`target shape [${shape.join(', ')}] leaves two sizes open`);
  return fields({ type: 'Reshape', targetShape: rest.length ? rest : [1] });
};

export const transpose: OpMapper = (ctx) => {
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

export const pad: OpMapper = (ctx) => {
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

/**
 * Resize/Upsample by whole-number factors of the spatial axes: UpSampling. Factors are the
 * `scales` given, or the `sizes` given over the input's sizes (`F.interpolate(size=…)`), where
 * the analysis knows them; opset 18's `axes` names the axes `scales` or `sizes` cover.
 */
export const resize: OpMapper = (ctx) => {
  const isUpsample = ctx.node.op_type === 'Upsample';
  const mode = text(ctx.node, 'mode') ?? 'nearest';
  const given = ctx.constant(isUpsample ? 1 : 2)?.values ?? attribute(ctx.node, 'scales')?.floats;
  const scales = given?.length ? allAxes(ctx, [...given], 1) : fromSizes(ctx);
  if (typeof scales === 'string') return no(scales);
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

/** Values for every axis from values for opset 18's `axes` (the others get `fill`). */
function allAxes(ctx: OpContext, values: number[], fill: number): number[] {
  const axes = ints(ctx.node, 'axes');
  if (!axes || ctx.rank === undefined) return values;
  const rank = ctx.rank;
  const out = new Array<number>(rank).fill(fill);
  axes.forEach((a, i) => (out[a < 0 ? a + rank : a] = values[i] ?? fill));
  return out;
}

/** Scale factors from Resize's `sizes` input and the input's sizes (batch kept at 1). */
function fromSizes(ctx: OpContext): number[] | string {
  const sizes = ctx.constant(3)?.values;
  if (!sizes?.length) return 'neither its scales nor its output sizes are constants of the file';
  const inputs = Array.from({ length: ctx.rank ?? 0 }, (_, axis) => (axis === 0 ? undefined : ctx.sizeOf(axis)));
  const out = allAxes(ctx, [...sizes], Number.NaN);
  const factors = out.map((s, axis) => (axis === 0 || Number.isNaN(s) ? 1 : s / (inputs[axis] ?? Number.NaN)));
  if (factors.some((f) => Number.isNaN(f)))
    return `output sizes [${sizes.join(', ')}] of an input whose sizes are not known: ConvScope reads whole-number factors`;
  return factors;
}

/** One axis of a Slice with step 1: a Slice layer's fields, or why it is not one. */
function sliceAxis(
  ctx: OpContext,
  given: number,
  start: number,
  end: number,
  step = 1,
): Record<string, unknown> | string {
  if (step !== 1) return `a slice with step ${step}: ConvScope’s Slice takes every element`;
  const axis = given < 0 && ctx.rank !== undefined ? given + ctx.rank : given;
  if (axis < 0) return `axis ${given} counted from the end, of an input whose rank is unknown`;
  if (axis === 0) return 'it slices the batch axis';
  // Counted from the end (x[:, -2:]): resolved with the axis' size, clamped as ONNX clamps.
  const size = start < 0 || end < 0 ? ctx.sizeOf(axis) : undefined;
  if ((start < 0 || end < 0) && size === undefined)
    return `start ${start}, end ${end} count from the end of an axis whose size is not known`;
  const from = start < 0 ? Math.max(0, start + (size as number)) : start;
  const to = end < 0 ? Math.max(0, end + (size as number)) : end;
  return { type: 'Slice', axis, start: from, end: Math.min(to, LIMITS.size) };
}

/**
 * A Slice with step 1 (torch.chunk, split and x[:, a:b] export as this): a Slice layer per
 * axis it cuts, one after the other (cutting axes in turn keeps the same elements).
 */
export const slice: OpMapper = (ctx) => {
  const { node } = ctx;
  const starts = ctx.constant(1)?.values ?? ints(node, 'starts');
  const ends = ctx.constant(2)?.values ?? ints(node, 'ends');
  if (!starts || !ends) return no('its starts and ends are computed in the graph from values ConvScope does not know');
  const axes = ctx.constant(3)?.values ?? ints(node, 'axes') ?? starts.map((_, i) => i);
  const steps = ctx.constant(4)?.values;
  const parts = starts.map((start, i) => sliceAxis(ctx, axes[i] ?? i, start, ends[i] ?? start, steps?.[i]));
  const problem = parts.find((p) => typeof p === 'string');
  if (typeof problem === 'string') return no(problem);
  const chain = parts as Record<string, unknown>[];
  return chain.length === 1 ? fields(chain[0] as Record<string, unknown>) : { chain };
};
