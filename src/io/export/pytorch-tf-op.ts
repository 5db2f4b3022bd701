import type { LayerSpec } from '../../engine/layers/registry';
import { BINARY_OPS, neutralConstant } from '../../engine/layers/tf-op';
import type { LayerCode, LayerContext } from './pytorch-layers';
import { pyNumber } from './python-text';

type TensorFlowOp = Extract<LayerSpec, { type: 'TensorFlowOp' }>;

/** torch's function for each one-operand TensorFlow op, applied to x. */
const UNARY: Readonly<Record<string, (x: string) => string>> = {
  Square: (x) => `torch.square(${x})`,
  Sqrt: (x) => `torch.sqrt(${x})`,
  Rsqrt: (x) => `torch.rsqrt(${x})`,
  Neg: (x) => `torch.neg(${x})`,
  Abs: (x) => `torch.abs(${x})`,
  Exp: (x) => `torch.exp(${x})`,
  Log: (x) => `torch.log(${x})`,
  Identity: (x) => x,
};

/** PyTorch's expression for each two-operand op of a and b (b may be a Python number). */
const BINARY: Readonly<Record<string, (a: string, b: string) => string>> = {
  AddV2: (a, b) => `${a} + ${b}`,
  Add: (a, b) => `${a} + ${b}`,
  Sub: (a, b) => `${a} - ${b}`,
  Mul: (a, b) => `${a} * ${b}`,
  RealDiv: (a, b) => `${a} / ${b}`,
  Pow: (a, b) => `${a} ** ${b}`,
  Maximum: (a, b) => `torch.maximum(${a}, ${b})`,
  Minimum: (a, b) => `torch.minimum(${a}, ${b})`,
};

/**
 * A raw TensorFlow op as PyTorch. Element-wise ops are torch expressions: a scalar constant is
 * written in (parenthesised, so `(-2.0) ** x` keeps its sign; torch.maximum needs it as a tensor
 * of x's dtype and device); a constant the file holds as a weight (`constantShape`) is an
 * nn.Parameter of that shape in PyTorch's layout, starting at the op's neutral value, since
 * ConvScope keeps the file's shape but not its values. DepthToSpace and SpaceToDepth keep
 * TensorFlow's channel order (helpers written with view and permute), not F.pixel_shuffle's.
 */
export function torchTensorFlowOp(ctx: LayerContext & { readonly spec: TensorFlowOp }, x: string): LayerCode | string {
  const { spec, self, out } = ctx;
  if (spec.op === 'DepthToSpace' || spec.op === 'SpaceToDepth') {
    const helper = spec.op === 'DepthToSpace' ? 'depth_to_space' : 'space_to_depth';
    return { lines: [`${out} = ${helper}(${x}, ${spec.blockSize ?? 1})`], helpers: [helper] };
  }
  const unary = UNARY[spec.op];
  if (unary) return { lines: [`${out} = ${unary(x)}`] };
  const binary = BINARY[spec.op];
  if (!binary || !BINARY_OPS.has(spec.op)) return `the TensorFlow op ${spec.op} has no PyTorch code.`;
  const apply = (c: string) => ({ lines: [`${out} = ${spec.constantFirst ? binary(c, x) : binary(x, c)}`] });
  if (spec.constantShape) {
    const start = neutralConstant(spec.op);
    if (start === null)
      return `${spec.op} by a constant the file holds: ConvScope keeps its shape, not its values, and ${spec.op} has no neutral value to start a learnt one from; write it yourself.`;
    const shape = ctx.layer.weights[0]?.pytorch.shape ?? spec.constantShape;
    const fill = start === 1 ? 'torch.ones' : 'torch.zeros';
    return {
      module: `nn.Parameter(${fill}(${shape.join(', ')}${shape.length === 1 ? ',' : ''}))  # learnt ${spec.op} constant: the file's values are not carried`,
      ...apply(self),
    };
  }
  if (spec.constant === undefined)
    return `${spec.op} applies a constant ConvScope does not know (the file's was a tensor): set the layer's constant first.`;
  const c = `(${pyNumber(spec.constant)})`;
  const minMax = spec.op === 'Maximum' || spec.op === 'Minimum';
  return apply(minMax ? `${x}.new_tensor(${pyNumber(spec.constant)})` : c);
}
