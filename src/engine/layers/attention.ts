import { z } from 'zod';
import { error } from '../model/diagnostic';
import { namedWeight, type WeightTensor } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import { elementCount, type Shape } from '../shape/shape';
import { units, useBias } from './fields';
import { defineLayer, failed, type Inference } from './kind';

/**
 * Multi-head attention (Vaswani et al. 2017; Keras `MultiHeadAttention`): inputs query
 * (… × Eq), value (… × Ev) and optionally key (… × Ek, else the value). Each of `numHeads`
 * heads projects the query and key to `keyDim` and the value to `valueDim`, weighs every value
 * position by softmax(q·k/√keyDim), and an output projection maps the heads back to Eq (or
 * `outputShape`). Keras' weights: query/kernel Eq × heads × keyDim, key/kernel Ek × heads ×
 * keyDim, value/kernel Ev × heads × valueDim, attention_output/kernel heads × valueDim × Eo,
 * each with a bias. Every output position sees every value position: no windowed receptive field.
 */
export const multiHeadAttention = defineLayer({
  type: 'MultiHeadAttention',
  template: { numHeads: 2, keyDim: 16 },
  category: 'sequence',
  summary: 'Each query position takes a learnt, weighted mix of all value positions, in several heads.',
  schema: z.strictObject({
    type: z.literal('MultiHeadAttention'),
    numHeads: units('numHeads').describe('Number of attention heads.'),
    keyDim: units('keyDim').describe('Size of each head for query and key.'),
    valueDim: units('valueDim').optional().describe('Size of each head for value (default: keyDim).'),
    useBias,
    outputShape: units('outputShape').optional().describe("Size of the output's last axis (default: the query's)."),
  }),
  arity: 'many',
  infer: ({ spec, inputs, inputNames }): Inference => {
    const [query = [], value = [], key = value] = inputs;
    if (inputs.length > 3)
      return failed(
        error(
          'too-many-inputs',
          `MultiHeadAttention takes query, value and an optional key, but is given ${inputs.length} inputs.`,
        ),
      );
    const eq = query.at(-1) ?? null;
    const ev = value.at(-1) ?? null;
    const ek = key.at(-1) ?? null;
    if (query.length < 2 || value.length < 2 || key.length < 2 || eq === null || ev === null || ek === null)
      return failed(
        error(
          'wrong-rank',
          message`MultiHeadAttention needs sequences with a known feature size (steps × features): query ${shapeSlot(query)}, value ${shapeSlot(value)}${inputs.length > 2 ? message`, key ${shapeSlot(key)}` : ''}.`,
        ),
      );
    if (!sameSteps(key, value))
      return failed(
        error(
          'shape-mismatch',
          message`key and value must have the same positions: ${inputNames[2] ?? 'key'} ${shapeSlot(key)} against ${inputNames[1] ?? 'value'} ${shapeSlot(value)}.`,
        ),
      );
    const h = spec.numHeads;
    const kd = spec.keyDim;
    const vd = spec.valueDim ?? kd;
    const eo = spec.outputShape ?? eq;
    const nq = elementCount(query.slice(0, -1));
    const nv = elementCount(value.slice(0, -1));
    return {
      output: [...query.slice(0, -1), eo],
      weights: attentionWeights(spec.useBias, h, kd, vd, eq, ek, ev, eo),
      // Projections, the scores q·k and the weighted sum of values, per example.
      macs:
        nq === null || nv === null
          ? null
          : h * (nq * eq * kd + nv * (ek * kd + ev * vd) + nq * nv * (kd + vd) + nq * vd * eo),
      field: null,
      issues: [],
    };
  },
});

function sameSteps(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.slice(0, -1).every((d, i) => d === null || b[i] === null || d === b[i]);
}

/**
 * Keras' eight tensors; PyTorch's `nn.MultiheadAttention(E, heads, kdim, vdim)` holds the same
 * numbers when heads × keyDim = E = the output size and valueDim = keyDim: its input projections
 * stacked (`in_proj_weight` E×E thrice, or q/k/v_proj_weight when kdim or vdim ≠ E) and `out_proj`.
 */
function attentionWeights(
  bias: boolean,
  h: number,
  kd: number,
  vd: number,
  eq: number,
  ek: number,
  ev: number,
  eo: number,
): WeightTensor[] {
  const e = h * kd;
  const packed = ek === eq && ev === eq;
  const proj = (which: 'q' | 'k' | 'v', i: number) =>
    packed ? `in_proj_weight[${i * e}:${(i + 1) * e}]` : `${which}_proj_weight`;
  const b = (i: number) => `in_proj_bias[${i * e}:${(i + 1) * e}]`;
  const withBias = (w: WeightTensor, biasShape: number[], torchName: string) =>
    bias
      ? [
          w,
          namedWeight(`${w.keras.name.split('/')[0]}/bias`, biasShape, torchName, [
            biasShape.reduce((x, y) => x * y, 1),
          ]),
        ]
      : [w];
  return [
    ...withBias(namedWeight('query/kernel', [eq, h, kd], proj('q', 0), [e, eq]), [h, kd], b(0)),
    ...withBias(namedWeight('key/kernel', [ek, h, kd], proj('k', 1), [e, ek]), [h, kd], b(1)),
    ...withBias(namedWeight('value/kernel', [ev, h, vd], proj('v', 2), [h * vd, ev]), [h, vd], b(2)),
    ...withBias(
      namedWeight('attention_output/kernel', [h, vd, eo], 'out_proj.weight', [eo, h * vd]),
      [eo],
      'out_proj.bias',
    ),
  ];
}
