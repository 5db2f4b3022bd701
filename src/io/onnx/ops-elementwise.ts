import { fields, float, int, no, type OpMapper } from './op-context';

/** ONNX operators that act element by element: merges of layers, activations. */
export const merge =
  (type: string): OpMapper =>
  (ctx) =>
    ctx.layerInputs === (ctx.node.input?.length ?? 0) && ctx.layerInputs >= 2
      ? fields({ type })
      : no('an operation with a constant tensor (only one between layers is a merge)');

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
