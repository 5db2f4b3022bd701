import { z } from 'zod';
import { warning } from '../model/diagnostic';
import { defineLayer } from './kind';
import { LIMITS, int } from './fields';

/**
 * A model input. `shape` is one example's shape in the model's layout (batch excluded): a
 * sequence is length × channels, an image height × width × channels (channels first under
 * `channels_first`). `null` marks a size the model accepts at any value.
 */
export const input = defineLayer({
  type: 'Input',
  template: { shape: [32, 32, 3] },
  category: 'input',
  summary: 'Where data enters: one example’s shape, with any size left open (null) if the model accepts any.',
  schema: z.strictObject({
    type: z.literal('Input'),
    shape: z
      .array(z.union([int(1, LIMITS.size, 'input size'), z.null()]))
      .min(1, { error: 'an input needs at least one axis' })
      .max(5, { error: 'inputs have at most 5 axes per example' })
      .describe('One example’s shape, batch excluded; null for a size that may vary.'),
    batchSize: int(1, LIMITS.size, 'batch size')
      .optional()
      .describe('A batch size the source file fixed (Keras batch_input_shape [1, …]); kept for export.'),
  }),
  arity: 'none',
  infer: ({ spec }) => ({
    output: spec.shape,
    weights: [],
    macs: 0,
    field: null,
    issues: spec.batchSize === undefined ? [] : [fixedBatch(spec.batchSize)],
  }),
});

/**
 * The engine counts per example (shapes, MACs and activations exclude the batch), so a batch
 * the file fixed is said at the input rather than silently shown as None.
 */
function fixedBatch(size: number) {
  return warning(
    'fixed-batch',
    `The file fixes the batch size at ${size.toLocaleString('en-US')}. ConvScope counts one example at a time, so shapes show the batch as None and MACs are per example; Keras exports keep batch_size=${size}.`,
  );
}
