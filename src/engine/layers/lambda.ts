import { z } from 'zod';
import { error, warning } from '../model/diagnostic';
import { message, shapeSlot } from '../text/message';
import { defineLayer, failed } from './kind';
import { LIMITS, int } from './fields';

/**
 * Keras' Lambda: a Python function inside the model. ConvScope cannot run or read it, so its
 * output shape comes from the file (Keras' `output_shape`) or from the user; the layers after it
 * are then analysed on that shape. It has no weights (a Lambda's variables are not saved).
 */
export const lambda = defineLayer({
  type: 'Lambda',
  category: 'shape',
  summary: 'A Python function ConvScope cannot read: give its output shape and the rest of the model uses it.',
  schema: z.strictObject({
    type: z.literal('Lambda'),
    outputShape: z
      .array(z.union([int(1, LIMITS.size, 'output size'), z.null()]))
      .min(1, { error: 'an output needs at least one axis' })
      .max(5, { error: 'outputs have at most 5 axes per example' })
      .optional()
      .describe('One example’s output shape, batch excluded (null for a size that varies), as the function gives it.'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }) => {
    if (!spec.outputShape)
      return failed(
        error(
          'lambda-unknown',
          message`This Lambda layer runs Python code that ConvScope cannot read, so its output shape is unknown (its input is ${shapeSlot(x)}). Give its output shape in the layer's Output shape field (batch excluded); the layers after it are then analysed on that shape.`,
        ),
      );
    return {
      output: spec.outputShape,
      weights: [],
      macs: 0,
      field: null,
      issues: [
        warning(
          'lambda-shape-given',
          message`This Lambda layer's output shape ${shapeSlot(spec.outputShape)} is taken as given: ConvScope cannot check it against the function.`,
        ),
      ],
    };
  },
});
