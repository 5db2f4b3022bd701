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
  if (sides.length === 2) return fields({ type: 'ZeroPadding2D', padding: sides });
  return no(`padding of ${sides.length} spatial axes`);
};

export const resize: OpMapper = (ctx) => {
  const isUpsample = ctx.node.op_type === 'Upsample';
  const scales = ctx.constant(isUpsample ? 1 : 2)?.values ?? attribute(ctx.node, 'scales')?.floats;
  const mode = text(ctx.node, 'mode') ?? 'nearest';
  if (!scales?.length) return no('it gives output sizes, not scales: ConvScope reads whole-number scale factors');
  const size = scales.slice(2);
  if (scales[0] !== 1 || scales[1] !== 1 || !size.every((s) => Number.isInteger(s) && s >= 1))
    return no(`scales [${scales.join(', ')}]: ConvScope reads whole-number factors of the spatial axes`);
  if (mode !== 'nearest' && mode !== 'linear') return no(`'${mode}' interpolation`);
  if (size.length !== 1 && size.length !== 2) return no(`upsampling of ${size.length} spatial axes`);
  return fields({
    type: `UpSampling${size.length}D`,
    size,
    interpolation: mode === 'linear' ? 'bilinear' : 'nearest',
  });
};

/** A Slice of one axis with step 1 (torch.chunk, split and x[:, a:b] export as this): a Slice layer. */
export const slice: OpMapper = (ctx) => {
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
