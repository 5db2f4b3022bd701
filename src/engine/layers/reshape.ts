import { z } from 'zod';
import { error, warning, type Issue } from '../model/diagnostic';
import { formatCount } from '../shape/format';
import { message, shapeSlot } from '../text/message';
import { countOf } from '../text/plural';
import { channelAxis, elementCount, type DataFormat, type Dim, type Shape } from '../shape/shape';
import type { AxisWindow } from '../analysis/receptive-field';
import { int, LIMITS } from './fields';
import { defineLayer, failed, passThrough, type Inference } from './kind';

/**
 * True when a reshape from `from` to `to` only splits axes or merges neighbouring axes:
 * between each pair of matching prefix products of the sizes (ignoring 1s), either one input
 * axis becomes several or several become one. Otherwise elements of different axes are
 * interleaved (steps × features read as features × steps), which is what Permute is for.
 */
export function isRegrouping(from: readonly number[], to: readonly number[]): boolean {
  const a = from.filter((d) => d !== 1);
  const b = to.filter((d) => d !== 1);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    let pa = a[i++] as number;
    let pb = b[j++] as number;
    let na = 1;
    let nb = 1;
    while (pa !== pb) {
      if (pa < pb && i < a.length) [pa, na] = [pa * (a[i++] as number), na + 1];
      else if (pb < pa && j < b.length) [pb, nb] = [pb * (b[j++] as number), nb + 1];
      else return false;
    }
    if (na > 1 && nb > 1) return false;
  }
  return true;
}

export const reshape = defineLayer({
  type: 'Reshape',
  template: { targetShape: [-1] },
  category: 'shape',
  summary: 'Reads the same elements, in the same order, into a new shape (not a transpose: see Permute).',
  schema: z.strictObject({
    type: z.literal('Reshape'),
    targetShape: z
      .array(z.union([int(1, LIMITS.size, 'target size'), z.literal(-1)]))
      .min(1)
      .max(5)
      .refine((s) => s.filter((d) => d === -1).length <= 1, { error: 'at most one target size may be -1 (inferred)' })
      .describe('New shape per example; one entry may be -1 to be inferred.'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }) => inferReshape(x, spec.targetShape),
});

function inferReshape(x: Shape, target: readonly number[]): Inference {
  const count = elementCount(x);
  const known = target.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const wanted = shapeSlot(target.map((d) => (d === -1 ? null : d)));
  if (count === null) {
    return {
      ...passThrough(
        target.map((d) => (d === -1 ? null : d)),
        0,
      ),
      field: null,
    };
  }
  const inferred = target.includes(-1) ? count / known : null;
  if (inferred !== null ? !Number.isInteger(inferred) : known !== count) {
    return failed(
      error(
        'reshape-count',
        message`Reshape to ${wanted} needs ${inferred !== null ? `a multiple of ${formatCount(known)}` : formatCount(known)} elements, but its input ${shapeSlot(x)} has ${formatCount(count)}. A reshape never adds or drops elements.`,
      ),
    );
  }
  const output = target.map((d) => (d === -1 ? (inferred as number) : d));
  const issues: Issue[] = [];
  if (!isRegrouping(x as number[], output)) {
    issues.push(
      warning(
        'reshape-not-permute',
        message`Reshape ${shapeSlot(x)} → ${shapeSlot(output)} does not just split or merge neighbouring axes: it reads the elements in their memory order into the new shape, so values from different axes get mixed. If you meant to swap axes (for example steps × features → features × steps), use Permute instead.`,
      ),
    );
  }
  return { ...passThrough(output, 0, issues), field: null };
}

/**
 * Permute: reorders axes (a transpose), `dims` 1-based and batch excluded as in Keras
 * (`Permute((2, 1))` swaps the two axes of one example). Element values move with their axes.
 */
export const permute = defineLayer({
  type: 'Permute',
  template: { dims: [2, 1] },
  category: 'shape',
  summary: 'Swaps axes (a transpose): element (i, j) moves to (j, i).',
  schema: z.strictObject({
    type: z.literal('Permute'),
    dims: z
      .array(int(1, 5, 'a Permute entry'))
      .min(1)
      .max(5)
      .describe('New order of the axes, 1-based, batch excluded.'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const dims = spec.dims;
    const isPermutation = dims.length === x.length && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!isPermutation) {
      return failed(
        error(
          'bad-permutation',
          `dims [${dims.join(', ')}] must list each of the input's ${countOf(x.length, 'axis', 'axes')} (1 to ${x.length}) once.`,
        ),
      );
    }
    const output: Dim[] = dims.map((d) => x[d - 1] ?? null);
    return { ...passThrough(output, 0), field: permutedField(dims, x.length, format) };
  },
});

/** Spatial axes keep their fields, in their new places; a channel axis moved into space has none. */
function permutedField(dims: readonly number[], rank: number, format: DataFormat): AxisWindow[] | null {
  const channel = channelAxis(rank, format);
  const offset = format === 'channels_last' ? 0 : 1;
  const windows: AxisWindow[] = [];
  for (let axis = 0; axis < rank; axis++) {
    if (axis === channel) {
      if ((dims[axis] as number) - 1 !== channel) return null;
      continue;
    }
    const source = (dims[axis] as number) - 1;
    if (source === channel) return null;
    windows.push({ from: source - offset, size: 1, jump: 1, start: 0 });
  }
  return windows;
}
