import { z } from 'zod';
import { error } from '../model/diagnostic';
import { namedWeight } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import type { Shape } from '../shape/shape';
import { spatialRankOf } from './elementwise';
import { defineLayer, failed, passThrough } from './kind';

/** Keras' axis numbers (batch counted; negative from the end) as 0-based indices of one example's shape. */
export function normalizedAxes(axis: number | readonly number[], rank: number): number[] {
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? rank + a : a - 1));
}

/**
 * Layer normalisation (Ba, Kiros & Hinton 2016): each example is normalised over `axis` (its own
 * statistics, no running ones), then scaled by γ and shifted by β, each the shape of the
 * normalised axes (Keras `LayerNormalization`, PyTorch `nn.LayerNorm(normalized_shape)`).
 */
export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  pytorchTemplate: { epsilon: 1e-5 },
  category: 'normalization',
  summary: 'Normalises each example over its last axis (or chosen axes), then scales and shifts it.',
  schema: z.strictObject({
    type: z.literal('LayerNormalization'),
    axis: z
      .union([z.number().int(), z.array(z.number().int()).min(1)])
      .default(-1)
      .describe('Axis or axes normalised, Keras-style (batch counted; −1 = last).'),
    epsilon: z.number().positive().default(1e-3).describe('Added to the variance (Keras 1e-3, PyTorch 1e-5).'),
    center: z.boolean().default(true),
    scale: z.boolean().default(true),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }) => {
    const axes = normalizedAxes(spec.axis, x.length);
    const bad = axes.find((a) => a < 0 || a >= x.length);
    if (bad !== undefined)
      return failed(
        error(
          'bad-axis',
          message`axis ${String(spec.axis)} does not exist in a ${x.length}-D input (${shapeSlot(x)}) plus the batch.`,
        ),
      );
    const shape: Shape = axes.map((a) => x[a] ?? null);
    if (shape.some((d) => d === null))
      return failed(
        error(
          'unknown-size',
          message`LayerNormalization learns a scale and a shift per element of the normalised axes, so their sizes must be known (input ${shapeSlot(x)}).`,
        ),
      );
    const dims = shape as number[];
    return {
      ...passThrough(x, spatialRankOf(x.length)),
      weights: [
        ...(spec.scale ? [namedWeight('gamma', dims, 'weight')] : []),
        ...(spec.center ? [namedWeight('beta', dims, 'bias')] : []),
      ],
    };
  },
});
