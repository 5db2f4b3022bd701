import { z } from 'zod';
import { error } from '../model/diagnostic';
import { namedWeight } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import { channelAxis, type DataFormat, type Shape } from '../shape/shape';
import { spatialRankOf } from './elementwise';
import { defineLayer, failed, passThrough } from './kind';

/**
 * PReLU (He et al. 2015): max(0, x) + α·min(0, x) with a learnt α per element of the input
 * (batch excluded), shared along `sharedAxes` (Keras, 1-based, batch not counted). Keras' α has
 * the input's shape with the shared axes set to 1; PyTorch's `nn.PReLU(num_parameters)` holds
 * one α per channel (all other axes shared) or a single one.
 */
export const prelu = defineLayer({
  type: 'PReLU',
  category: 'activation',
  summary: 'A leaky ReLU whose negative slope is learnt, per element or shared along chosen axes.',
  schema: z.strictObject({
    type: z.literal('PReLU'),
    sharedAxes: z
      .array(z.number().int().min(1))
      .optional()
      .describe('Axes along which one slope is shared (Keras: 1-based, batch not counted; e.g. [1, 2] for H and W).'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const shared = new Set(spec.sharedAxes ?? []);
    const bad = [...shared].find((a) => a > x.length);
    if (bad !== undefined)
      return failed(
        error('bad-axis', message`shared axis ${bad} does not exist in a ${x.length}-D input (${shapeSlot(x)}).`),
      );
    const alpha = x.map((d, i) => (shared.has(i + 1) ? 1 : d));
    if (alpha.some((d) => d === null))
      return failed(
        error(
          'unknown-size',
          message`PReLU learns one slope per element of every axis it does not share, so those sizes must be known (input ${shapeSlot(x)}). Share the open axes (sharedAxes).`,
        ),
      );
    const keras = alpha as number[];
    return {
      ...passThrough(x, spatialRankOf(x.length)),
      weights: [namedWeight('alpha', keras, 'weight', torchAlpha(keras, x, format))],
    };
  },
});

/** PyTorch's α: one per channel when every other axis is shared, else Keras' shape (not exportable). */
function torchAlpha(alpha: readonly number[], x: Shape, format: DataFormat): number[] {
  const c = channelAxis(x.length, format);
  if (alpha.every((d, i) => i === c || d === 1)) return [alpha[c] ?? 1];
  return [...alpha];
}
