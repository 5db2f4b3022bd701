import { z } from 'zod';
import { error } from '../model/diagnostic';
import { namedWeight } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import { identityWindows } from '../analysis/receptive-field';
import { units } from './fields';
import { defineLayer, failed } from './kind';

/**
 * Embedding (Keras `Embedding`, PyTorch `nn.Embedding`): each input element is a whole number
 * below `inputDim` and is replaced by its row of a learnt inputDim × outputDim table, so the
 * output is the input's shape plus one axis of outputDim. A look-up: no multiply-accumulates.
 */
export const embedding = defineLayer({
  type: 'Embedding',
  template: { inputDim: 1000, outputDim: 64 },
  category: 'sequence',
  summary: 'Replaces each whole number (a word or token id) by a learnt vector of outputDim numbers.',
  schema: z.strictObject({
    type: z.literal('Embedding'),
    inputDim: units('inputDim').describe('Size of the vocabulary: the input values are 0 … inputDim − 1.'),
    outputDim: units('outputDim').describe('Length of each learnt vector.'),
    maskZero: z.boolean().default(false).describe('Treat 0 as padding that later layers skip (Keras).'),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }) => {
    if (x.length === 0)
      return failed(
        error('wrong-rank', message`Embedding needs a sequence of ids per example, but gets ${shapeSlot(x)}.`),
      );
    return {
      output: [...x, spec.outputDim],
      weights: [namedWeight('embeddings', [spec.inputDim, spec.outputDim], 'weight')],
      macs: 0,
      // Every position looks up its own id: position t of the output sees position t of the input.
      field: identityWindows(x.length),
      issues: [],
    };
  },
});
