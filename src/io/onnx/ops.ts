import { conv, convTranspose, gemm, matMul, batchNorm, pool, globalPool, reduce, dropout } from './ops-layers';
import { activation, clip, merge, softmax } from './ops-elementwise';
import { flatten, pad, reshape, resize, slice, transpose } from './ops-shape';
import { fields, int, type OpMapper } from './op-context';

export type { OpContext, OpMapped } from './op-context';

/** ONNX op_type → mapper (the default domain, opsets 7 to 18). */
export const onnxOps: Readonly<Record<string, OpMapper>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  Add: merge('Add', 'AddV2'),
  Sum: merge('Add', 'AddV2'),
  Mul: merge('Multiply', 'Mul'),
  Sub: merge(undefined, 'Sub'),
  Div: merge(undefined, 'RealDiv'),
  Max: merge('Maximum', 'Maximum'),
  Mean: merge('Average'),
  Concat: (ctx) => fields({ type: 'Concatenate', axis: int(ctx.node, 'axis', 1) }),
  Relu: activation('relu'),
  LeakyRelu: activation('leaky_relu', 'alpha', 0.01),
  Elu: activation('elu', 'alpha', 1),
  Selu: activation('selu'),
  Sigmoid: activation('sigmoid'),
  HardSigmoid: activation('hard_sigmoid'),
  HardSwish: activation('hard_swish'),
  Tanh: activation('tanh'),
  Softplus: activation('softplus'),
  Softsign: activation('softsign'),
  Mish: activation('mish'),
  Gelu: activation('gelu'),
  Softmax: softmax,
  LogSoftmax: softmax,
  Clip: clip,
  BatchNormalization: batchNorm,
  MaxPool: pool('Max'),
  AveragePool: pool('Average'),
  GlobalAveragePool: globalPool('Average'),
  GlobalMaxPool: globalPool('Max'),
  ReduceMean: reduce('Average'),
  ReduceMax: reduce('Max'),
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Dropout: dropout,
  Slice: slice,
  Identity: () => ({ alias: true }),
};

/** Rank (batch counted) of a mapped node's output, from its input's: most keep it. */
export function outputRank(f: Record<string, unknown>, rank: number | undefined): number | undefined {
  if (f['type'] === 'Flatten') return 2;
  if (f['type'] === 'Reshape') return (f['targetShape'] as unknown[]).length + 1;
  if (f['type'] === 'Dense') return rank;
  if (typeof f['type'] === 'string' && f['type'].startsWith('Global') && f['keepdims'] === false) return 2;
  return rank;
}
