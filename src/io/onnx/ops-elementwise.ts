import { fields, float, int, no, type OpMapper } from './op-context';

/** ONNX operators that act element by element: merges of layers, activations. */
/**
 * Add, Mul, Sub, Div: between layers a merge (where ConvScope has one); between a layer and a
 * constant an element-wise op, TensorFlow's name for it (a per-channel scale or bias). A constant
 * the file stores (an initializer) is that op's weight, counted as the file holds it.
 */
export const merge =
  (type: string | undefined, op?: string): OpMapper =>
  (ctx) => {
    const inputs = ctx.node.input?.length ?? 0;
    if (ctx.layerInputs === inputs && inputs >= 2)
      return type ? fields({ type }) : no(`${ctx.node.op_type} of two layers: ConvScope has no such merge`);
    const at = [0, 1].find((i) => ctx.constant(i));
    if (!op || ctx.layerInputs !== 1 || inputs !== 2 || at === undefined)
      return no('an operation whose operands are neither layers nor constants of the file');
    const constant = ctx.constant(at);
    if (ctx.initializer(at) && constant) return fields({ type: 'TensorFlowOp', op, constantShape: constant.dims });
    // A number computed in the graph (`x * 0.5`): kept as the op's constant, not a weight.
    const value = constant?.values?.length === 1 ? constant.values[0] : undefined;
    return fields({
      type: 'TensorFlowOp',
      op,
      constant: value,
      constantFirst: at === 0 && value !== undefined ? true : undefined,
    });
  };

export const activation =
  (name: string, alphaName?: string, alphaDefault?: number): OpMapper =>
  (ctx) =>
    fields({
      type: 'Activation',
      activation: name,
      alpha: alphaName ? (float(ctx.node, alphaName) ?? alphaDefault) : undefined,
    });

export const softmax: OpMapper = (ctx) => {
  const axis = int(ctx.node, 'axis', -1);
  return ctx.rank === undefined || axis === -1 || axis === ctx.rank - 1
    ? fields({ type: 'Activation', activation: 'softmax' })
    : no(`softmax over axis ${axis}: ConvScope's is over the last axis`);
};

export const clip: OpMapper = (ctx) => {
  const min = ctx.constant(1)?.values?.[0] ?? float(ctx.node, 'min');
  const max = ctx.constant(2)?.values?.[0] ?? float(ctx.node, 'max');
  if (min === 0 && max === 6) return fields({ type: 'Activation', activation: 'relu6' });
  if (min === 0 && max === undefined) return fields({ type: 'Activation', activation: 'relu' });
  return no(`Clip to [${min ?? '-∞'}, ${max ?? '∞'}]: ConvScope reads Clip(0, 6) (ReLU6) and Clip(0) (ReLU)`);
};
