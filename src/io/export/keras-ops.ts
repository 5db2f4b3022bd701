import type { LayerResult } from '../../engine/analysis/result';
import type { LayerSpec } from '../../engine/layers/registry';
import type { KerasLambda } from './keras-graph';
import type { Emitter } from './keras-windows';
import { pyNumber } from './python-text';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/**
 * Keras 3's `keras.ops` function for each one-operand TensorFlow op (the same element-wise
 * function on any backend); Identity and Exp are Activation layers of their own.
 */
const UNARY_OPS: Readonly<Record<string, string>> = {
  Square: 'square',
  Sqrt: 'sqrt',
  Rsqrt: 'rsqrt',
  Neg: 'negative',
  Abs: 'absolute',
  Log: 'log',
};
const OP_ACTIVATIONS: Readonly<Record<string, string>> = { Identity: 'linear', Exp: 'exponential' };
/** Keras 3's `keras.ops` function for each two-operand op, applied to the layer and its constant. */
const BINARY_OPS: Readonly<Record<string, string>> = {
  AddV2: 'add',
  Add: 'add',
  Sub: 'subtract',
  Mul: 'multiply',
  RealDiv: 'divide',
  Maximum: 'maximum',
  Minimum: 'minimum',
  Pow: 'power',
};

/** A TensorFlow op's `data_format` attribute: bytes, base64 in the JSON of a `NodeDef`. */
const DATA_FORMATS = { channels_last: 'TkhXQw==', channels_first: 'TkNIVw==' } as const;

/**
 * Keras 2's TensorFlowOpLayer back as it was read: the op by name in a `NodeDef`, which
 * TensorFlow's Keras 2 rebuilds. Keras 3 has no such layer, so the Python export writes the op
 * in a Lambda instead. An op with a constant operand is refused: ConvScope keeps its shape, not
 * the constant, so writing it back would change what the model computes.
 */
export function tensorFlowOpLayer(
  b: Emitter,
  spec: Spec<'TensorFlowOp'>,
  r: LayerResult,
  inputs: readonly string[],
  name: string,
): string {
  const activation = OP_ACTIVATIONS[spec.op];
  if (activation) return b.emit('Activation', { activation }, inputs, name);
  const attr: Record<string, unknown> = { T: { type: 'DT_FLOAT' } };
  const constants: Record<string, number> = {};
  let lambda: KerasLambda;
  if (spec.op === 'DepthToSpace' || spec.op === 'SpaceToDepth') {
    const size = spec.blockSize ?? 2;
    attr['block_size'] = { i: String(size) };
    attr['data_format'] = { s: DATA_FORMATS[b.format] };
    const fn = spec.op === 'DepthToSpace' ? 'depth_to_space' : 'space_to_depth';
    const layout = b.format === 'channels_last' ? '' : ", data_format='NCHW'";
    lambda = {
      code: `tf.nn.${fn}(x, ${size}${layout})`,
      note: `TensorFlow's ${spec.op} (block ${size}): keras.ops has no ${fn}, so this Lambda needs the TensorFlow backend.`,
      tensorflow: true,
      outputShape: r.output,
    };
  } else if (UNARY_OPS[spec.op]) {
    lambda = {
      code: `keras.ops.${UNARY_OPS[spec.op]}(x)`,
      note: `TensorFlow's ${spec.op}, element by element.`,
      outputShape: r.output,
    };
  } else if (BINARY_OPS[spec.op] && spec.constant !== undefined && spec.constantShape === undefined) {
    const c = pyNumber(spec.constant);
    const operands = spec.constantFirst ? `${c}, x` : `x, ${c}`;
    lambda = {
      code: `keras.ops.${BINARY_OPS[spec.op]}(${operands})`,
      note: `TensorFlow's ${spec.op} with the constant ${c}, element by element.`,
      outputShape: r.output,
    };
    constants[spec.constantFirst ? '0' : '1'] = spec.constant;
  } else {
    b.problems.add(
      name,
      `the TensorFlow op ${spec.op} takes a constant operand that ConvScope does not keep (only the shape): write x ${spec.op} c as a Keras layer or Lambda yourself.`,
    );
    return name;
  }
  const nodeDef = { name, op: spec.op, input: [...inputs], attr };
  return b.emit('TensorFlowOpLayer', { node_def: nodeDef, constants }, inputs, name, { lambda });
}

/**
 * Slice as Keras Cropping1D/2D where it is one (a spatial axis of known size, in a layout
 * Keras crops); anything else, such as half of the channels, is `x[:, :, :, a:b]` in a
 * Python Lambda, which Keras JSON cannot hold.
 */
export function sliceLayer(
  b: Emitter,
  spec: Spec<'Slice'>,
  r: LayerResult,
  inputs: readonly string[],
  name: string,
): string {
  const x = r.inputShapes[0] ?? [];
  const at = spec.axis - 1;
  const size = x[at] ?? null;
  if (size !== null) {
    const crop = [spec.start, size - Math.min(spec.end, size)];
    const spatial = b.format === 'channels_last' ? [0, 1].slice(0, x.length - 1) : [1, 2].slice(0, x.length - 1);
    const which = spatial.indexOf(at);
    if (x.length === 2 && b.format === 'channels_last' && at === 0)
      return b.emit('Cropping1D', { cropping: crop }, inputs, name);
    if (x.length === 3 && which >= 0)
      return b.emit(
        'Cropping2D',
        { cropping: which === 0 ? [crop, [0, 0]] : [[0, 0], crop], data_format: b.format },
        inputs,
        name,
      );
  }
  const index = [...Array<string>(spec.axis).fill(':'), `${spec.start}:${spec.end}`].join(', ');
  return b.emit('Lambda', {}, inputs, name, {
    lambda: {
      code: `x[${index}]`,
      note: `Slice: elements ${spec.start} to ${spec.end - 1} of axis ${spec.axis}.`,
      outputShape: r.output,
    },
    notInJson: `Keras JSON holds a slice of axis ${spec.axis} (x[${index}]) only as a Lambda's Python bytecode: the Keras Python export writes it.`,
  });
}

/**
 * MultiHeadAttention as Keras calls it, `layer(query, value)` or `layer(query, value, key)`:
 * Keras 2 JSON lists the query as the node's tensor and value and key as keyword arguments.
 */
export function attentionLayer(
  b: Emitter,
  spec: Spec<'MultiHeadAttention'>,
  inputs: readonly string[],
  name: string,
): string {
  const config = {
    num_heads: spec.numHeads,
    key_dim: spec.keyDim,
    value_dim: spec.valueDim ?? spec.keyDim,
    use_bias: spec.useBias,
    ...(spec.outputShape !== undefined ? { output_shape: spec.outputShape } : {}),
  };
  // One input is self-attention: Keras still needs it twice, as query and value.
  const called = inputs.length === 1 ? [inputs[0] as string, inputs[0] as string] : inputs;
  return b.emit('MultiHeadAttention', config, called, name, { keywords: ['value', 'key'].slice(0, called.length - 1) });
}
