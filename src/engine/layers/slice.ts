import { z } from 'zod';
import { error } from '../model/diagnostic';
import { message, shapeSlot } from '../text/message';
import { channelAxis, type Dim } from '../shape/shape';
import type { AxisWindow } from '../analysis/receptive-field';
import { int, LIMITS } from './fields';
import { defineLayer, failed } from './kind';

/**
 * Slice: keeps elements start … end − 1 of one axis, as Python's `x[:, start:end]` (the end is
 * clamped to the axis' size). ONNX graphs use it for `torch.chunk`/`split` (ShuffleNetV2 halves
 * its channels this way). `axis` is 1-based with the batch excluded, as Permute's dims; no weights.
 */
export const slice = defineLayer({
  type: 'Slice',
  template: { axis: 1, start: 0, end: 1 },
  category: 'shape',
  summary: 'Keeps a range of one axis (x[:, start:end]), such as half of the channels; no weights.',
  schema: z.strictObject({
    type: z.literal('Slice'),
    axis: int(1, 5, 'the sliced axis').describe('The axis to slice, 1-based, batch excluded.'),
    start: int(0, LIMITS.size, 'the slice start').describe('First index kept (from 0).'),
    end: int(1, LIMITS.size, 'the slice end').describe('One past the last index kept; clamped to the axis size.'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const at = spec.axis - 1;
    if (at >= x.length)
      return failed(
        error(
          'slice-axis',
          message`Slice on axis ${String(spec.axis)}, but its input ${shapeSlot(x)} has ${String(x.length)} axes (batch excluded).`,
        ),
      );
    const size = x[at] ?? null;
    const end = size === null ? spec.end : Math.min(spec.end, size);
    if (end <= spec.start)
      return failed(
        error(
          'slice-empty',
          message`Slice ${String(spec.start)}:${String(spec.end)} of axis ${String(spec.axis)} (size ${String(size)}) of ${shapeSlot(x)} keeps no element.`,
        ),
      );
    const output: Dim[] = x.map((d, i) =>
      i === at ? (size === null && spec.end >= LIMITS.size ? null : end - spec.start) : d,
    );
    return { output, weights: [], macs: 0, field: sliceField(x.length, at, spec.start, format), issues: [] };
  },
});

/** Positions keep their fields; slicing a spatial axis shifts its positions by `start`. */
function sliceField(rank: number, at: number, start: number, format: Parameters<typeof channelAxis>[1]) {
  if (rank < 2) return null;
  const channel = channelAxis(rank, format);
  const windows: AxisWindow[] = [];
  for (let axis = 0, from = 0; axis < rank; axis++) {
    if (axis === channel) continue;
    windows.push({ from, size: 1, jump: 1, start: axis === at ? start : 0 });
    from++;
  }
  return windows;
}
