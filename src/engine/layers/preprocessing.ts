import { z } from 'zod';
import { error } from '../model/diagnostic';
import { statistic } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import type { Shape } from '../shape/shape';
import { spatialRankOf } from './elementwise';
import { defineLayer, failed, passThrough } from './kind';

/**
 * Keras' preprocessing layers that models carry at their input (every keras.applications
 * EfficientNet starts with Rescaling and Normalization). Both keep the shape and map positions
 * one-to-one, so their receptive field is the identity.
 */

/** `x · scale + offset` on every element (Keras `Rescaling`, tfjs `tf.layers.rescaling`); no weights. */
export const rescaling = defineLayer({
  type: 'Rescaling',
  template: { scale: 1 / 255 },
  category: 'normalization',
  summary: 'Multiplies every element by scale and adds offset (e.g. pixels 0–255 to 0–1); no weights.',
  schema: z.strictObject({
    type: z.literal('Rescaling'),
    scale: z.number().describe('Factor every element is multiplied by (1/255 maps 0–255 to 0–1).'),
    offset: z.number().default(0).describe('Added after scaling (−1 with scale 1/127.5 maps 0–255 to −1…1).'),
  }),
  arity: 'one',
  infer: ({ inputs: [x = []] }) => passThrough(x, spatialRankOf(x.length)),
});

const stats = z.union([z.number(), z.array(z.number()).max(1 << 20)]);
const axisIndex = z.number().int();

/**
 * `(x − mean) / √variance` with a mean and variance per index of the kept `axis` (Keras
 * `Normalization`, batch counted, −1 = last; null: one mean for everything). When the file does
 * not give the statistics they are weights that `adapt()` fills: Keras 2 adds `mean` and
 * `variance` (the kept axes' shape) and a scalar `count`, none trainable by gradient, so
 * EfficientNetB0's Normalization over 3 channels holds 3 + 3 + 1 = 7 (its published
 * `model.summary()`). Statistics given in the config are constants: no weights.
 */
export const normalization = defineLayer({
  type: 'Normalization',
  template: { axis: -1 },
  category: 'normalization',
  summary:
    'Subtracts a mean and divides by a standard deviation kept per channel (set by adapt()); no trained weights.',
  schema: z.strictObject({
    type: z.literal('Normalization'),
    axis: z
      .union([axisIndex, z.array(axisIndex).max(5), z.null()])
      .default(-1)
      .describe('Axis (or axes) with their own mean and variance, Keras-style (batch counted; −1 = last; null: none).'),
    mean: stats.optional().describe('Fixed means from the file; omitted: weights set by adapt().'),
    variance: stats.optional().describe('Fixed variances from the file; omitted: weights set by adapt().'),
    invert: z.boolean().default(false).describe('Undo a normalisation instead (x · √variance + mean).'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }) => {
    const kept = keptAxes(spec.axis, x);
    if (typeof kept === 'string') return failed(error('bad-axis', message`${kept} (input ${shapeSlot(x)}).`));
    const shape: number[] = [];
    for (const a of kept) {
      const size = x[a];
      if (size === null || size === undefined)
        return failed(
          error(
            'unknown-size',
            message`Normalization keeps a mean per index of axis ${a + 1}, so its size must be known (input ${shapeSlot(x)}).`,
          ),
        );
      shape.push(size);
    }
    const weights =
      spec.mean === undefined ? [statistic('mean', shape), statistic('variance', shape), statistic('count', [])] : [];
    return { ...passThrough(x, spatialRankOf(x.length)), weights };
  },
});

/**
 * The kept axes of a Normalization as indices into one example's shape (batch excluded), or why
 * the axis is wrong. Keras counts the batch as axis 0, which cannot be kept.
 */
export function keptAxes(axis: number | readonly number[] | null, x: Shape): number[] | string {
  if (axis === null) return [];
  const total = x.length + 1;
  const out: number[] = [];
  for (const a of [axis].flat()) {
    const i = a < 0 ? total + a : a;
    if (i <= 0 || i >= total)
      return `axis ${a} is not a feature axis of a ${x.length}-D input plus the batch (axis 0 is the batch)`;
    if (!out.includes(i - 1)) out.push(i - 1);
  }
  return out.sort((p, q) => p - q);
}
