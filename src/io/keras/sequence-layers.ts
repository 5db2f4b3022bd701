/**
 * Keras configs of the layers added for real model files (issue 15) → ConvScope fields:
 * PReLU, LayerNormalization, Embedding, SimpleRNN, LSTM, GRU and Bidirectional (Keras 2, Keras 3
 * and TensorFlow.js all write these snake_case fields).
 */
import { ELEMENTWISE_OPS } from '../../engine/layers/tf-op';

type Config = Record<string, unknown>;
type Mapped = { fields: Record<string, unknown> } | { unsupported: string };

function defined(f: Record<string, unknown>): Mapped {
  return { fields: Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null)) };
}

/** Keras activation names as ConvScope's ('hard_sigmoid', 'relu', …); TensorFlow.js writes camelCase. */
function activationName(value: unknown): unknown {
  if (typeof value !== 'string') return value === null ? undefined : value;
  const snake = value.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake === 'hard_silu' ? 'hard_swish' : snake;
}

function recurrent(c: Config, className: string): Mapped {
  return defined({
    type: className,
    units: c['units'],
    activation: activationName(c['activation']),
    ...(className === 'SimpleRNN' ? {} : { recurrentActivation: activationName(c['recurrent_activation']) }),
    ...(className === 'GRU' ? { resetAfter: c['reset_after'] } : {}),
    useBias: c['use_bias'],
    returnSequences: c['return_sequences'],
    returnState: c['return_state'],
    goBackwards: c['go_backwards'],
  });
}

function bidirectional(c: Config): Mapped {
  const inner = c['layer'] as Config | undefined;
  const className = String(inner?.['class_name'] ?? '');
  if (!['SimpleRNN', 'LSTM', 'GRU'].includes(className))
    return { unsupported: `Bidirectional wraps '${className}', which is not a recurrent layer ConvScope reads` };
  const mapped = recurrent((inner?.['config'] ?? {}) as Config, className);
  if ('unsupported' in mapped) return mapped;
  // merge_mode null (two outputs) is kept as null, not dropped.
  return {
    fields: {
      type: 'Bidirectional',
      layer: mapped.fields,
      mergeMode: c['merge_mode'] === undefined ? 'concat' : c['merge_mode'],
    },
  };
}

function attention(c: Config): Mapped {
  const out = c['output_shape'];
  const outputShape = Array.isArray(out) && out.length === 1 ? out[0] : out;
  if (Array.isArray(outputShape))
    return { unsupported: 'MultiHeadAttention with a multi-axis output_shape is not supported by ConvScope' };
  if (c['attention_axes'] !== undefined && c['attention_axes'] !== null)
    return { unsupported: 'MultiHeadAttention over chosen attention_axes is not supported by ConvScope' };
  return defined({
    type: 'MultiHeadAttention',
    numHeads: c['num_heads'],
    keyDim: c['key_dim'],
    valueDim: c['value_dim'],
    useBias: c['use_bias'],
    outputShape,
  });
}

const TF_ACTIVATIONS: Record<string, string> = {
  Relu: 'relu',
  Relu6: 'relu6',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Softmax: 'softmax',
  Elu: 'elu',
  Selu: 'selu',
  Softplus: 'softplus',
};
const TF_MERGES: Record<string, string> = { AddV2: 'Add', Add: 'Add', Mul: 'Multiply', Maximum: 'Maximum' };
const TF_ELEMENTWISE = new Set(ELEMENTWISE_OPS as readonly string[]);

/**
 * Keras 2's TensorFlowOpLayer: `node_def.op` names the op; `constants` holds the operands that
 * are not tensors (so an op with none joins two tensors).
 */
function tensorFlowOp(c: Config): Mapped {
  const node = (c['node_def'] ?? {}) as Config;
  const op = String(node['op'] ?? '');
  const attr = (node['attr'] ?? {}) as Record<string, Config | undefined>;
  const constants = c['constants'];
  const hasConstant = !!constants && typeof constants === 'object' && Object.keys(constants).length > 0;
  const activation = TF_ACTIVATIONS[op];
  if (activation) return { fields: { type: 'Activation', activation } };
  if (op === 'DepthToSpace' || op === 'SpaceToDepth')
    return defined({ type: 'TensorFlowOp', op, blockSize: Number(attr['block_size']?.['i']) });
  if (!hasConstant && TF_MERGES[op]) return { fields: { type: TF_MERGES[op] } };
  if (TF_ELEMENTWISE.has(op)) return defined({ type: 'TensorFlowOp', op, ...scalarConstant(constants) });
  return { unsupported: `the TensorFlow op '${op}' (TensorFlowOpLayer) is not supported by ConvScope` };
}

/** Keras 2's `constants` ({operand index: value}) when it is one number: the op can be written back. */
function scalarConstant(constants: unknown): { constant?: number; constantFirst?: true } {
  if (!constants || typeof constants !== 'object') return {};
  const entries = Object.entries(constants as Record<string, unknown>);
  const [index, value] = entries[0] ?? [];
  if (entries.length !== 1 || typeof value !== 'number' || !Number.isFinite(value)) return {};
  return { constant: value, ...(index === '0' ? { constantFirst: true as const } : {}) };
}

export const sequenceMappers: Readonly<Record<string, (c: Config, className: string) => Mapped>> = {
  PReLU: (c) => defined({ type: 'PReLU', sharedAxes: c['shared_axes'] }),
  LayerNormalization: (c) =>
    defined({
      type: 'LayerNormalization',
      axis: c['axis'],
      epsilon: c['epsilon'],
      center: c['center'],
      scale: c['scale'],
    }),
  Embedding: (c) =>
    defined({ type: 'Embedding', inputDim: c['input_dim'], outputDim: c['output_dim'], maskZero: c['mask_zero'] }),
  SimpleRNN: recurrent,
  LSTM: recurrent,
  GRU: recurrent,
  Bidirectional: bidirectional,
  MultiHeadAttention: attention,
  TensorFlowOpLayer: tensorFlowOp,
  // Keras' output_shape excludes the batch; a function instead of a list leaves it to the user.
  Lambda: (c) =>
    defined({ type: 'Lambda', outputShape: Array.isArray(c['output_shape']) ? c['output_shape'] : undefined }),
};
