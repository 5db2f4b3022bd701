import { z } from 'zod';
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
  }),
  arity: 'none',
  infer: ({ spec }) => ({ output: spec.shape, weights: [], macs: 0, field: null, issues: [] }),
});
