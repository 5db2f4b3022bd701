import { z } from 'zod';
import { error, warning, type Issue } from '../model/diagnostic';
import { namedWeight, type WeightTensor } from '../model/weights';
import { message, shapeSlot } from '../text/message';
import { ACTIVATIONS, units, useBias } from './fields';
import { defineLayer, failed, type Inference } from './kind';

/**
 * Recurrent layers (Keras SimpleRNN, LSTM, GRU; PyTorch nn.RNN, nn.LSTM, nn.GRU with
 * batch_first=True) read a sequence of steps × features and carry a state of `units` numbers
 * from step to step. Each of their g gates (SimpleRNN 1, LSTM 4, GRU 3) has a kernel on the
 * input (features × units), one on the state (units × units) and a bias (Keras: kernel
 * features × g·units, recurrent_kernel units × g·units, bias g·units; GRU with reset_after a
 * second bias for the recurrent part, 2 × 3·units, as PyTorch has for every layer).
 *
 * The output at a step depends on every step before it: a receptive field that spans the whole
 * sequence seen so far, which a window (size, jump, start) cannot describe, so none is given.
 */
const GATES = { SimpleRNN: 1, LSTM: 4, GRU: 3 } as const;

export type RecurrentType = keyof typeof GATES;

function baseFields<T extends RecurrentType>(type: T) {
  return {
    type: z.literal(type),
    units: units('units').describe('Size of the state carried from step to step (and of each output).'),
    activation: z.enum(ACTIVATIONS).default('tanh').describe('Applied to the candidate state (tanh by default).'),
    useBias,
    returnSequences: z.boolean().default(false).describe('Output every step (steps × units) or only the last (units).'),
    returnState: z.boolean().default(false).describe('Also output the final state(s) (Keras).'),
    goBackwards: z.boolean().default(false).describe('Read the sequence from its end.'),
  };
}

const recurrentActivation = z
  .enum(ACTIVATIONS)
  .default('sigmoid')
  .describe("Applied to the gates (Keras 'sigmoid'; TensorFlow.js 'hard_sigmoid').");

const SCHEMAS = {
  SimpleRNN: z.strictObject(baseFields('SimpleRNN')),
  LSTM: z.strictObject({ ...baseFields('LSTM'), recurrentActivation }),
  GRU: z.strictObject({
    ...baseFields('GRU'),
    recurrentActivation,
    resetAfter: z
      .boolean()
      .default(true)
      .describe('Apply the reset gate after the recurrent product (Keras 2.3+ and PyTorch), with a second bias.'),
  }),
};

export interface RecurrentFields {
  readonly type: RecurrentType;
  readonly units: number;
  readonly activation: (typeof ACTIVATIONS)[number];
  readonly recurrentActivation?: (typeof ACTIVATIONS)[number];
  readonly resetAfter?: boolean;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
}

/**
 * The weights of one recurrent layer on `features` inputs. PyTorch's modules have two biases
 * (input and recurrent) where Keras' SimpleRNN and LSTM have one: ConvScope's PyTorch code keeps
 * that one bias as the last column of the input kernel (see the export), and names it so.
 */
export function recurrentWeights(spec: RecurrentFields, features: number, suffix = ''): WeightTensor[] {
  const g = GATES[spec.type] * spec.units;
  const twoBiases = spec.type === 'GRU' && spec.resetAfter === true;
  const folded = spec.useBias && !twoBiases;
  const ih = `weight_ih_l0${suffix}`;
  return [
    namedWeight('kernel', [features, g], folded ? `${ih}[:, :-1]` : ih, [g, features]),
    namedWeight('recurrent_kernel', [spec.units, g], `weight_hh_l0${suffix}`, [g, spec.units]),
    ...(spec.useBias
      ? [
          twoBiases
            ? namedWeight('bias', [2, g], `bias_ih_l0${suffix}, bias_hh_l0${suffix}`)
            : namedWeight('bias', [g], `${ih}[:, -1]`),
        ]
      : []),
  ];
}

/** Shape, weights and MACs of a recurrent layer on a steps × features input. */
export function inferRecurrent(spec: RecurrentFields, x: readonly (number | null)[]): Inference {
  if (x.length !== 2)
    return failed(
      error(
        'wrong-rank',
        message`${spec.type} needs a sequence per example (steps × features) but gets ${x.length}-D (${shapeSlot(x)}). For images, put a Reshape or TimeDistributed(Flatten) before it.`,
      ),
    );
  const [steps = null, features = null] = x;
  if (features === null)
    return failed(
      error(
        'unknown-features',
        message`${spec.type} needs a fixed number of features per step (input ${shapeSlot(x)}).`,
      ),
    );
  const g = GATES[spec.type] * spec.units;
  return {
    output: spec.returnSequences ? [steps, spec.units] : [spec.units],
    weights: recurrentWeights(spec, features),
    // Per step: the gates' products with the input and with the state.
    macs: steps === null ? null : steps * g * (features + spec.units),
    field: null,
    issues: stateIssues(spec),
  };
}

function stateIssues(spec: RecurrentFields): Issue[] {
  if (!spec.returnState || !spec.returnSequences) return [];
  return [
    warning(
      'several-outputs',
      `${spec.type} with return_state gives its sequence and its final state(s) (${spec.units} numbers each); ConvScope follows the sequence, its first output.`,
    ),
  ];
}

const SUMMARIES: Record<RecurrentType, string> = {
  SimpleRNN: 'Reads a sequence step by step, carrying a state (one gate).',
  LSTM: 'Reads a sequence step by step with a long short-term memory cell (4 gates).',
  GRU: 'Reads a sequence step by step with a gated recurrent unit (3 gates).',
};

const common = {
  template: { units: 32 },
  category: 'sequence',
  arity: 'one',
} as const;

export const simpleRnn = defineLayer({
  type: 'SimpleRNN',
  ...common,
  summary: SUMMARIES.SimpleRNN,
  schema: SCHEMAS.SimpleRNN,
  infer: ({ spec, inputs: [x = []] }) => inferRecurrent(spec, x),
});

export const lstm = defineLayer({
  type: 'LSTM',
  ...common,
  summary: SUMMARIES.LSTM,
  schema: SCHEMAS.LSTM,
  infer: ({ spec, inputs: [x = []] }) => inferRecurrent(spec, x),
});

export const gru = defineLayer({
  type: 'GRU',
  ...common,
  summary: SUMMARIES.GRU,
  schema: SCHEMAS.GRU,
  infer: ({ spec, inputs: [x = []] }) => inferRecurrent(spec, x),
});

/** Any recurrent layer's spec, as Bidirectional wraps it. */
export const recurrentSpecSchema = z.discriminatedUnion('type', [SCHEMAS.SimpleRNN, SCHEMAS.LSTM, SCHEMAS.GRU]);
