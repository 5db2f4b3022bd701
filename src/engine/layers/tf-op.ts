import { z } from 'zod';
import { error, warning, type Issue } from '../model/diagnostic';
import { message, shapeSlot } from '../text/message';
import { joinChannels } from '../shape/shape';
import { spatialRankOf } from './elementwise';
import { anyFeatureMap, isIssue } from './feature-map';
import { int, LIMITS } from './fields';
import { namedWeight } from '../model/weights';
import type { DataFormat, Shape } from '../shape/shape';
import { defineLayer, failed, passThrough, type Inference } from './kind';

/** TensorFlow ops that act on each element with a constant (or alone): the shape does not change. */
export const ELEMENTWISE_OPS = [
  'AddV2',
  'Add',
  'Sub',
  'Mul',
  'RealDiv',
  'Maximum',
  'Minimum',
  'Pow',
  'Square',
  'Sqrt',
  'Rsqrt',
  'Neg',
  'Abs',
  'Exp',
  'Log',
  'Identity',
] as const;

export type ElementwiseOp = (typeof ELEMENTWISE_OPS)[number];

/** The element-wise ops of two operands: x and a constant. */
export const BINARY_OPS: ReadonlySet<string> = new Set([
  'AddV2',
  'Add',
  'Sub',
  'Mul',
  'RealDiv',
  'Maximum',
  'Minimum',
  'Pow',
] satisfies ElementwiseOp[]);

const BLOCK_OPS = ['DepthToSpace', 'SpaceToDepth'] as const;

/**
 * A raw TensorFlow operation in a Keras model (Keras 2's `TensorFlowOpLayer`, what
 * `tf.nn.relu(x) * 0.5` in a functional model becomes): element-wise ops with a constant keep
 * the shape; DepthToSpace moves blocks of b×b channels into space (H·b × W·b × C/b², the
 * sub-pixel convolution of Shi et al. 2016) and SpaceToDepth does the reverse. ONNX's Add,
 * Mul, Sub and Div of a layer and a constant initializer (a learnt scale or bias) read as one of
 * these with `constantShape`: the file's constant is its weight, counted as the file holds it
 * (its values are not kept: training and the PyTorch export learn it from `neutralConstant`).
 */
export const tensorFlowOp = defineLayer({
  type: 'TensorFlowOp',
  template: { op: 'Mul', constant: 1 },
  category: 'shape',
  summary: 'A TensorFlow operation inside a Keras model: element-wise with a constant, or DepthToSpace/SpaceToDepth.',
  schema: z.strictObject({
    type: z.literal('TensorFlowOp'),
    op: z.enum([...ELEMENTWISE_OPS, ...BLOCK_OPS]).describe('The TensorFlow op (node_def.op).'),
    blockSize: int(2, 1024, 'block size').optional().describe('DepthToSpace and SpaceToDepth: the block edge b.'),
    constant: z
      .number()
      .finite()
      .optional()
      .describe(
        'Add, Sub, Mul, …: the scalar constant the op applies to x, where the file gives one number (x · 0.5).',
      ),
    constantFirst: z
      .boolean()
      .optional()
      .describe('The constant is the first operand (c − x, c / x, c ** x) rather than the second.'),
    constantShape: z
      .array(int(1, LIMITS.size, 'a constant size'))
      .max(6)
      .optional()
      .describe("The constant operand's shape, batch counted, where the file holds it (an ONNX initializer)."),
  }),
  arity: 'one',
  infer: ({ spec, inputs: [x = []], format }): Inference => {
    if (spec.op !== 'DepthToSpace' && spec.op !== 'SpaceToDepth') {
      const inferred = elementwise(spec.constantShape, x, format);
      const unknown = constantIssues(spec.op, spec.constant, spec.constantShape);
      return unknown.length > 0 ? { ...inferred, issues: [...inferred.issues, ...unknown] } : inferred;
    }
    const b = spec.blockSize;
    if (b === undefined) return failed(error('missing-field', `${spec.op} needs its block size.`));
    const map = anyFeatureMap(spec.op, x, 2, format);
    if (isIssue(map)) return failed(map);
    const toSpace = spec.op === 'DepthToSpace';
    const c = map.channels;
    if (toSpace && c !== null && c % (b * b) !== 0)
      return failed(
        error(
          'indivisible',
          message`DepthToSpace needs channels divisible by ${b}×${b} = ${b * b}, but the input is ${shapeSlot(x)}.`,
        ),
      );
    if (!toSpace && map.spatial.some((d) => d !== null && d % b !== 0))
      return failed(
        error(
          'indivisible',
          message`SpaceToDepth needs height and width divisible by ${b}, but the input is ${shapeSlot(x)}.`,
        ),
      );
    const spatial = map.spatial.map((d) => (d === null ? null : toSpace ? d * b : d / b));
    const channels = c === null ? null : toSpace ? c / (b * b) : c * b * b;
    return {
      output: joinChannels(spatial, channels, format),
      weights: [],
      macs: 0,
      // DepthToSpace: output y reads input ⌊y/b⌋, as nearest upsampling; SpaceToDepth: a b×b block, stride b.
      field: [0, 1].map((from) =>
        toSpace ? { from, size: 1, jump: 1 / b, start: 0 } : { from, size: b, jump: b, start: 0 },
      ),
      issues: [],
    };
  },
});

/**
 * The value that makes a two-operand op leave x as it is (x + 0, x · 1, x ** 1), where a learnt
 * constant whose values the file holds but ConvScope does not keep starts training and export;
 * null for Maximum and Minimum, which have none.
 */
export function neutralConstant(op: string): 0 | 1 | null {
  if (op === 'AddV2' || op === 'Add' || op === 'Sub') return 0;
  if (op === 'Mul' || op === 'RealDiv' || op === 'Pow') return 1;
  return null;
}

/**
 * A two-operand op without its constant: the shape holds, but the values do not. A constant the
 * file holds as a weight is a learnt one, trained from its neutral value; Maximum or Minimum by
 * such a weight, or a scalar the file did not give, cannot be computed.
 */
function constantIssues(op: string, constant: number | undefined, shape: readonly number[] | undefined): Issue[] {
  if (!BINARY_OPS.has(op) || constant !== undefined) return [];
  if (shape && neutralConstant(op) !== null) return [];
  const why = shape
    ? `${op} applies a constant the file holds as a weight of shape [${shape.join(', ')}]: it is counted, but its values are not loaded and ${op} has no neutral value to learn it from, so the model cannot train in the tab.`
    : `${op} applies a constant ConvScope does not know (only a single number is kept): its shape is right, but the model cannot train until the constant is set.`;
  return [warning('unknown-constant', why)];
}

/**
 * A constant's shape (batch counted, aligned from the last axis as NumPy broadcasts) in the
 * other layout: padded with 1s to the input's rank with its batch, the last axis moved to
 * follow the batch (channels-last → channels-first) or back (`toLast`). A feature vector
 * (input rank 1) has one layout.
 */
export function constantInLayout(constant: readonly number[], inputRank: number, toLast: boolean): number[] {
  if (inputRank < 2) return [...constant];
  const full = [...Array<number>(inputRank + 1 - constant.length).fill(1), ...constant];
  const [n = 1, ...rest] = full;
  return toLast ? [n, ...rest.slice(1), rest[0] ?? 1] : [n, rest[rest.length - 1] ?? 1, ...rest.slice(0, -1)];
}

/**
 * An element-wise op keeps the input's shape; a constant the file holds is its one weight. The
 * constant broadcasts as NumPy's rules say (ONNX and TensorFlow follow them): aligned from the
 * last axis, each of its sizes 1 or the input's, and no more axes than the input with its batch.
 */
function elementwise(constant: readonly number[] | undefined, x: Shape, format: DataFormat): Inference {
  const kept = passThrough(x, spatialRankOf(x.length));
  if (!constant) return kept;
  const full = [1, ...x];
  const fits =
    constant.length <= full.length &&
    constant.every((d, i) => {
      const own = full[full.length - constant.length + i];
      return d === 1 || own === null || own === d;
    });
  if (!fits)
    return failed(
      error(
        'shape-mismatch',
        message`The constant's shape [${constant.join(', ')}] does not broadcast to the input ${shapeSlot(x)} (with its batch).`,
      ),
    );
  // PyTorch's shape is channels-first, as the PyTorch export runs every model.
  const torch = format === 'channels_last' ? constantInLayout(constant, x.length, false) : constant;
  return { ...kept, weights: [namedWeight('constant', constant, 'constant', torch)] };
}
