import { z } from 'zod';
import { error, type Issue } from '../model/diagnostic';
import { axisNames } from '../shape/format';
import { expand, joinChannels, type Dim } from '../shape/shape';
import type { AxisWindow } from '../analysis/receptive-field';
import { int, LIMITS, perAxis } from './fields';
import { anyFeatureMap, isIssue } from './feature-map';
import { defineLayer, failed, type InferContext, type Inference } from './kind';

const amount = (what: string) => int(0, LIMITS.size, what);

/**
 * Keras' forms: an int for every side; in 1-D a pair (start, end); in 2-D and 3-D a number per
 * axis (symmetric) or a pair per axis, ((top, bottom), (left, right)).
 */
function sides(rank: number, what: string) {
  const one = amount(what);
  const pair = z.tuple([one, one]);
  if (rank === 1) return z.union([one, pair]);
  return z.union([one, z.array(z.union([one, pair])).length(rank, { error: `${what} needs ${rank} entries` })]);
}

type Sides = number | readonly (number | readonly [number, number])[];

function sidesOf(value: Sides, rank: number, i: number): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (rank === 1) return [value[0] as number, value[1] as number];
  const entry = value[i] ?? 0;
  return typeof entry === 'number' ? [entry, entry] : [entry[0], entry[1]];
}

/** Adds (sign +1) or removes (sign −1) rows and columns at the borders. */
function inferBorder(rank: number, sign: 1 | -1, amounts: Sides, ctx: InferContext<{ type: string }>): Inference {
  const x = anyFeatureMap(ctx.spec.type, ctx.inputs[0] ?? [], rank, ctx.format);
  if (isIssue(x)) return failed(x);
  const names = axisNames(rank);
  const issues: Issue[] = [];
  const windows: AxisWindow[] = [];
  const output: Dim[] = x.spatial.map((length, i) => {
    const [before, after] = sidesOf(amounts, rank, i);
    windows.push({ from: i, size: 1, jump: 1, start: -sign * before });
    if (length === null) return null;
    const out = length + sign * (before + after);
    if (out <= 0) {
      issues.push(
        error(
          'output-too-small',
          `Cropping ${before} + ${after} from a ${names[i]} of ${length} leaves ${out}. Crop less.`,
        ),
      );
    }
    return out;
  });
  if (issues.length) return failed(...issues);
  return { output: joinChannels(output, x.channels, ctx.format), weights: [], macs: 0, field: windows, issues };
}

export const zeroPadding1d = defineLayer({
  type: 'ZeroPadding1D',
  category: 'shape',
  summary: 'Adds zeros at the start and end of each sequence.',
  schema: z.strictObject({ type: z.literal('ZeroPadding1D'), padding: sides(1, 'padding').default(1) }),
  arity: 'one',
  infer: (ctx) => inferBorder(1, 1, ctx.spec.padding, ctx),
});

export const zeroPadding2d = defineLayer({
  type: 'ZeroPadding2D',
  category: 'shape',
  summary: 'Adds rows and columns of zeros around each map.',
  schema: z.strictObject({ type: z.literal('ZeroPadding2D'), padding: sides(2, 'padding').default(1) }),
  arity: 'one',
  infer: (ctx) => inferBorder(2, 1, ctx.spec.padding, ctx),
});

export const cropping1d = defineLayer({
  type: 'Cropping1D',
  category: 'shape',
  summary: 'Cuts steps off the start and end of each sequence.',
  schema: z.strictObject({ type: z.literal('Cropping1D'), cropping: sides(1, 'cropping').default(1) }),
  arity: 'one',
  infer: (ctx) => inferBorder(1, -1, ctx.spec.cropping, ctx),
});

export const cropping2d = defineLayer({
  type: 'Cropping2D',
  category: 'shape',
  summary: 'Cuts rows and columns off the borders of each map.',
  schema: z.strictObject({ type: z.literal('Cropping2D'), cropping: sides(2, 'cropping').default(0) }),
  arity: 'one',
  infer: (ctx) => inferBorder(2, -1, ctx.spec.cropping, ctx),
});

export const zeroPadding3d = defineLayer({
  type: 'ZeroPadding3D',
  category: 'shape',
  summary: 'Adds planes of zeros around each volume, along depth, height and width.',
  schema: z.strictObject({ type: z.literal('ZeroPadding3D'), padding: sides(3, 'padding').default(1) }),
  arity: 'one',
  infer: (ctx) => inferBorder(3, 1, ctx.spec.padding, ctx),
});

export const cropping3d = defineLayer({
  type: 'Cropping3D',
  category: 'shape',
  summary: 'Cuts planes off the borders of each volume, along depth, height and width.',
  schema: z.strictObject({ type: z.literal('Cropping3D'), cropping: sides(3, 'cropping').default(1) }),
  arity: 'one',
  infer: (ctx) => inferBorder(3, -1, ctx.spec.cropping, ctx),
});

/**
 * Upsampling by repetition (nearest) or bilinear interpolation: output y reads input ⌊y/s⌋
 * (nearest) or its two neighbours (bilinear). Jump 1/s; the field is element 0's.
 */
function inferUpsampling(
  rank: number,
  ctx: InferContext<{ type: string; size: number | readonly number[]; interpolation: string }>,
): Inference {
  const x = anyFeatureMap(ctx.spec.type, ctx.inputs[0] ?? [], rank, ctx.format);
  if (isIssue(x)) return failed(x);
  const factors = expand(ctx.spec.size, rank);
  const bilinear = ctx.spec.interpolation === 'bilinear';
  return {
    output: joinChannels(
      x.spatial.map((d, i) => (d === null ? null : d * (factors[i] ?? 1))),
      x.channels,
      ctx.format,
    ),
    weights: [],
    macs: 0,
    field: factors.map((f, from) => ({ from, size: bilinear ? 2 : 1, jump: 1 / f, start: bilinear ? -1 : 0 })),
    issues: [],
  };
}

/** Keras' UpSampling3D only repeats (it has no `interpolation` argument): 3-D takes 'nearest' only. */
function upsampling<T extends string, M extends 'nearest' | 'bilinear'>(
  type: T,
  rank: number,
  modes: readonly [M, ...M[]],
  summary: string,
) {
  return defineLayer({
    type,
    category: 'shape',
    summary,
    schema: z.strictObject({
      type: z.literal(type),
      size: perAxis(rank, 1, LIMITS.stride, 'upsampling factor').default(2),
      interpolation: z
        .enum(modes)
        .default('nearest' as M)
        .describe(modes.length > 1 ? "'nearest' (repeat) or 'bilinear'." : "'nearest': repeat each position."),
    }),
    arity: 'one',
    infer: (ctx) => inferUpsampling(rank, ctx),
  });
}

const REPEATS = 'Repeats (or interpolates) each position size times along each axis; no weights.';
export const upSampling1d = upsampling('UpSampling1D', 1, ['nearest', 'bilinear'], REPEATS);
export const upSampling2d = upsampling('UpSampling2D', 2, ['nearest', 'bilinear'], REPEATS);
export const upSampling3d = upsampling(
  'UpSampling3D',
  3,
  ['nearest'],
  'Repeats each position size times along depth, height and width; no weights.',
);
