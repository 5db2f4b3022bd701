import { z } from 'zod';
import { error, type Issue } from '../model/diagnostic';
import { axisNames, formatCount } from '../shape/format';
import { message, shapeSlot } from '../text/message';
import { ordinal } from '../text/plural';
import { channelAxis, splitChannels, type DataFormat, type Dim, type Shape } from '../shape/shape';
import { defineLayer, failed, type InferContext, type Inference } from './kind';

/**
 * Element-wise merge of two or more tensors (Keras `_Merge.compute_elementwise_op_output_shape`):
 * shapes align from the right; a size of 1 broadcasts; an unknown size on either side is
 * unknown in the output; any other difference is an error.
 */
function inferElementwise(ctx: InferContext<{ type: string }>): Inference {
  const [first, ...rest] = ctx.inputs as Shape[];
  let output: Dim[] = [...(first ?? [])];
  for (const [k, shape] of rest.entries()) {
    const merged = broadcast(output, shape);
    if (merged === null) {
      return failed(
        mismatch(ctx.spec.type, ctx.inputNames[0] ?? '?', first ?? [], ctx.inputNames[k + 1] ?? '?', shape, ctx.format),
      );
    }
    output = merged;
  }
  const sameRank = rest.every((s) => s.length === output.length);
  return { output, weights: [], macs: 0, field: sameRank ? 'union' : null, issues: [] };
}

function broadcast(a: Shape, b: Shape): Dim[] | null {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out: Dim[] = long.slice(0, long.length - short.length);
  for (let k = 0; k < short.length; k++) {
    const i = long[long.length - short.length + k] ?? null;
    const j = short[k] ?? null;
    if (i === null || j === null) out.push(null);
    else if (i === 1 || j === 1) out.push(i === 1 ? j : i);
    else if (i !== j) return null;
    else out.push(i);
  }
  return out;
}

function mismatch(type: string, nameA: string, a: Shape, nameB: string, b: Shape, format: DataFormat): Issue {
  return error(
    'merge-mismatch',
    message`${type} needs inputs of the same shape, but '${nameA}' gives ${shapeSlot(a)} and '${nameB}' gives ${shapeSlot(b)}.${shortcutHint(a, b, format)}`,
  );
}

/**
 * When one branch is the other resized and/or widened (a ResNet block whose shortcut was left
 * as it was): says exactly what the main path changed (the size, the channels or both) and the
 * two shortcut fixes of He et al. 2016 (option A: subsample and zero-pad; option B: 1×1 projection).
 * The main path is the smaller map (or, at one size, the wider one).
 */
function shortcutHint(a: Shape, b: Shape, format: DataFormat): string {
  if (a.length !== b.length || a.length < 2) return '';
  const [x, y] = [splitChannels(a, format), splitChannels(b, format)];
  const xFirst =
    (x.spatial[0] ?? 0) !== (y.spatial[0] ?? 0)
      ? (x.spatial[0] ?? 0) > (y.spatial[0] ?? 0)
      : (x.channels ?? 0) < (y.channels ?? 0);
  const [shortcut, main] = xFirst ? [x, y] : [y, x];
  const factors = shortcut.spatial.map((d, i) =>
    d !== null && main.spatial[i] ? d / (main.spatial[i] as number) : NaN,
  );
  const f = factors[0] ?? NaN;
  if (!Number.isInteger(f) || !factors.every((g) => g === f) || main.channels === null || shortcut.channels === null) {
    return '';
  }
  const c = formatCount(main.channels);
  const resized = f > 1;
  const widened = main.channels !== shortcut.channels;
  if (!resized && !widened) return '';
  const changed =
    resized && widened
      ? `changed the size (÷${f}) and the channels (${formatCount(shortcut.channels)} → ${c})`
      : resized
        ? `changed the size (÷${f}) but not the channels (${c} on both)`
        : `changed the channels (${formatCount(shortcut.channels)} → ${c}) but not the size`;
  const stride = resized ? ` with stride ${f}` : '';
  const subsample = resized ? `take every ${ordinal(f)} position` : '';
  const pad = main.channels > shortcut.channels ? `zero-pad its channels to ${c}` : '';
  const optionA = [subsample, pad].filter(Boolean).join(' and ');
  return (
    ` The main path ${changed}; the shortcut did not. ` +
    `Give the shortcut a 1×1 convolution${stride} and ${c} filters (a projection: He et al.'s option B)` +
    (optionA && (pad || !widened) ? `, or ${optionA} (option A, no parameters).` : '.')
  );
}

function elementwise<T extends string>(type: T, summary: string) {
  return defineLayer({
    type,
    category: 'merge',
    summary,
    schema: z.strictObject({ type: z.literal(type) }),
    arity: 'many',
    infer: inferElementwise,
  });
}

export const add = elementwise(
  'Add',
  'Adds its inputs element by element (a residual connection); they must have one shape.',
);
export const multiply = elementwise('Multiply', 'Multiplies its inputs element by element.');
export const average = elementwise('Average', 'Averages its inputs element by element.');
export const maximum = elementwise('Maximum', 'Takes the element-wise maximum of its inputs.');

/**
 * Concatenate along `axis` (Keras-style: batch counted, −1 = last; by default the channel
 * axis). Every other axis must agree; the joined axis is the sum.
 */
export const concatenate = defineLayer({
  type: 'Concatenate',
  category: 'merge',
  summary: 'Stacks its inputs along one axis (by default the channels).',
  schema: z.strictObject({
    type: z.literal('Concatenate'),
    axis: z.number().int().optional().describe('Axis to join, Keras-style (batch counted; −1 = last).'),
  }),
  arity: 'many',
  infer: (ctx) => {
    const shapes = ctx.inputs as Shape[];
    const first = shapes[0] ?? [];
    const rank = first.length;
    const axis =
      ctx.spec.axis === undefined
        ? channelAxis(rank, ctx.format)
        : ctx.spec.axis < 0
          ? rank + ctx.spec.axis
          : ctx.spec.axis - 1;
    if (axis < 0 || axis >= rank) {
      return failed(
        error(
          'bad-axis',
          message`Concatenate axis ${ctx.spec.axis ?? axis + 1} is not an axis of ${shapeSlot(first)} (the batch axis 0 cannot be joined).`,
        ),
      );
    }
    const output: Dim[] = [...first];
    for (const [k, shape] of shapes.entries()) {
      const clash =
        shape.length !== rank || shape.some((d, i) => i !== axis && d !== null && first[i] !== null && d !== first[i]);
      if (clash) {
        return failed(
          error(
            'concat-mismatch',
            message`Concatenate joins along ${axisWords(axis, rank, ctx.format)}; every other size must agree, but '${ctx.inputNames[0] ?? '?'}' gives ${shapeSlot(first)} and '${ctx.inputNames[k] ?? '?'}' gives ${shapeSlot(shape)}.`,
          ),
        );
      }
      if (k > 0)
        output[axis] =
          output[axis] === null || shape[axis] === null ? null : (output[axis] as number) + (shape[axis] as number);
    }
    const joinsChannels = axis === channelAxis(rank, ctx.format);
    return { output, weights: [], macs: 0, field: joinsChannels ? 'union' : null, issues: [] };
  },
});

/** The joined axis by name, the same in every notation: "the channels", "the width". */
function axisWords(axis: number, rank: number, format: DataFormat): string {
  if (rank === 1) return 'the features';
  if (axis === channelAxis(rank, format)) return 'the channels';
  const spatial = format === 'channels_last' ? axis : axis - 1;
  return `the ${axisNames(rank - 1)[spatial] ?? `axis ${axis + 1}`}`;
}
