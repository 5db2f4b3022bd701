import { z } from 'zod';
import { error } from '../model/diagnostic';
import { batchNormWeights } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import { channelAxis } from '../shape/shape';
import { ACTIVATIONS } from './fields';
import { defineLayer, failed, passThrough } from './kind';

/** Spatial axes of a feature map of this rank: all but the channel axis. */
export function spatialRankOf(rank: number): number {
  return Math.max(rank - 1, 0);
}

export const activationLayer = defineLayer({
  type: 'Activation',
  template: { activation: 'relu' },
  category: 'activation',
  summary: 'Applies a function to every element; the shape does not change.',
  schema: z.strictObject({
    type: z.literal('Activation'),
    activation: z.enum(ACTIVATIONS),
    alpha: z.number().optional().describe('Slope or scale of leaky_relu and elu.'),
  }),
  arity: 'one',
  infer: ({ inputs: [x] }) => passThrough(x ?? [], spatialRankOf(x?.length ?? 0)),
});

export const dropout = defineLayer({
  type: 'Dropout',
  category: 'normalization',
  summary: 'While training, zeroes a random fraction of elements; does nothing at inference.',
  schema: z.strictObject({
    type: z.literal('Dropout'),
    rate: z
      .number()
      .min(0, { error: 'rate must be at least 0' })
      .max(1, { error: 'rate must be below 1' })
      .default(0.5),
  }),
  arity: 'one',
  infer: ({ inputs: [x] }) => passThrough(x ?? [], spatialRankOf(x?.length ?? 0)),
});

/**
 * Batch normalisation over one axis (Ioffe & Szegedy 2015): a learnt scale γ and shift β per
 * channel, and a running mean and variance that are not trained by gradient. `axis` follows
 * Keras (batch counted, −1 = last); by default the channel axis.
 */
export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  // torch.nn.BatchNorm2d: eps 1e-5, momentum 0.1 (the new statistics' share, so Keras' 0.9).
  pytorchTemplate: { epsilon: 1e-5, momentum: 0.9 },
  category: 'normalization',
  summary: 'Normalises each channel over the batch, then scales and shifts it (4 numbers per channel, 2 trained).',
  schema: z.strictObject({
    type: z.literal('BatchNormalization'),
    axis: z.number().int().optional().describe('Axis of the channels, Keras-style (batch counted; −1 = last).'),
    center: z.boolean().default(true),
    scale: z.boolean().default(true),
    epsilon: z
      .number()
      .positive()
      .default(1e-3)
      .describe(
        'Added to the variance before its square root. A new layer: 1e-3 as Keras, 1e-5 as PyTorch in its notation.',
      ),
    momentum: z
      .number()
      .min(0)
      .max(1)
      .default(0.99)
      .describe(
        "Share of the running statistics kept at each step, as Keras counts it; PyTorch's momentum is 1 − this. " +
          'A new layer: 0.99 as Keras, 0.9 (PyTorch 0.1) in PyTorch notation.',
      ),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }) => {
    const axis =
      spec.axis === undefined ? channelAxis(x.length, format) : spec.axis < 0 ? x.length + spec.axis : spec.axis - 1;
    const channels = x[axis];
    if (axis < 0 || axis >= x.length) {
      return failed(
        error(
          'bad-axis',
          message`axis ${spec.axis ?? axis + 1} does not exist in a ${x.length}-D input (${shapeSlot(x)}) plus the batch.`,
        ),
      );
    }
    if (channels === null || channels === undefined) {
      return failed(
        error(
          'unknown-channels',
          message`BatchNormalization keeps statistics per channel, so axis ${axis + 1} must have a known size (input ${shapeSlot(x)}).`,
        ),
      );
    }
    return { ...passThrough(x, spatialRankOf(x.length)), weights: batchNormWeights(channels, spec.scale, spec.center) };
  },
});
