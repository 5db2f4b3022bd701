import { z } from 'zod';
import { warning } from '../model/diagnostic';
import { prefixWeight } from '../model/weights';
import { defineLayer, type Inference } from './kind';
import { inferRecurrent, recurrentSpecSchema, recurrentWeights, type RecurrentFields } from './recurrent';

export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

/**
 * Bidirectional (Keras; PyTorch `bidirectional=True`): the wrapped recurrent layer reads the
 * sequence forwards, a copy with its own weights reads it backwards, and their outputs are
 * merged: 'concat' (2·units features), 'sum', 'mul' or 'ave' (units), or `null`: both outputs
 * kept apart (ConvScope follows the first, the forward one). Twice the wrapped layer's weights
 * and MACs. Every output step sees the whole sequence, so no windowed receptive field is given.
 */
export const bidirectional = defineLayer({
  type: 'Bidirectional',
  template: { layer: { type: 'LSTM', units: 32 } },
  category: 'wrapper',
  summary: 'Runs a recurrent layer forwards and a copy backwards, and merges their outputs.',
  schema: z.strictObject({
    type: z.literal('Bidirectional'),
    layer: z.lazy(() => recurrentSpecSchema).describe('The recurrent layer run in both directions.'),
    mergeMode: z
      .enum(MERGE_MODES)
      .nullable()
      .default('concat')
      .describe("How the two directions' outputs combine: concat, sum, mul, ave, or null (kept apart)."),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []] }): Inference => {
    const inner = spec.layer as RecurrentFields;
    const one = inferRecurrent(inner, x);
    if (one.output === null) return one;
    const features = x[x.length - 1] as number;
    const units = one.output[one.output.length - 1] as number;
    const output = spec.mergeMode === 'concat' ? [...one.output.slice(0, -1), 2 * units] : one.output;
    const prefix = inner.type.toLowerCase();
    return {
      output,
      weights: [
        ...recurrentWeights(inner, features).map((w) => prefixWeight(`forward_${prefix}`, w)),
        ...recurrentWeights(inner, features, '_reverse').map((w) => prefixWeight(`backward_${prefix}`, w)),
      ].map(unprefixTorch),
      macs: one.macs === null ? null : 2 * one.macs,
      field: null,
      issues: [
        ...one.issues,
        ...(spec.mergeMode === null
          ? [
              warning(
                'several-outputs',
                'With merge_mode None, Bidirectional gives the two directions as two outputs; ConvScope follows the first (forwards).',
              ),
            ]
          : []),
      ],
    };
  },
});

/** PyTorch keeps both directions in one module: `weight_ih_l0` and `weight_ih_l0_reverse`. */
function unprefixTorch(w: ReturnType<typeof prefixWeight>): ReturnType<typeof prefixWeight> {
  return { ...w, pytorch: { ...w.pytorch, name: w.pytorch.name.replace(/^(forward|backward)_\w+\./, '') } };
}
