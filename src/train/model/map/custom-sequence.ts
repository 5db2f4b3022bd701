import type { LayerSpec } from '../../../engine/layers/registry';
import { BINARY_OPS, constantInLayout, neutralConstant } from '../../../engine/layers/tf-op';
import { ConvScopeMultiHeadAttention } from '../layers/attention-layer';
import { ConvScopeTensorFlowOp } from '../layers/tf-op-layer';
import { input0, type MapContext, type Value } from './context';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/** MultiHeadAttention on [query, value] or [query, value, key], features last (the engine's layout). */
export function mapAttention(ctx: MapContext<Spec<'MultiHeadAttention'>>): Value {
  const { g, spec, name } = ctx;
  const layer = new ConvScopeMultiHeadAttention({
    name,
    numHeads: spec.numHeads,
    keyDim: spec.keyDim,
    valueDim: spec.valueDim ?? spec.keyDim,
    useBias: spec.useBias,
    outputDim: spec.outputShape ?? null,
    seed: g.nextSeed(),
  });
  const inputs = ctx.inputs.map((v) => g.get(v, 'eng'));
  return g.value(g.apply(layer, inputs), 'eng');
}

/**
 * A TensorFlow op: DepthToSpace and SpaceToDepth on channels-last maps (TensorFlow's NHWC),
 * element-wise ops on whichever layout the input has. A constant the file holds as a weight (an
 * ONNX initializer) becomes a trainable weight of its shape, starting at the op's neutral value
 * (0 for Add and Sub, 1 for Mul, RealDiv and Pow): ConvScope keeps its shape, not its values.
 */
export function mapTensorFlowOp(ctx: MapContext<Spec<'TensorFlowOp'>>): Value {
  const { g, spec, name } = ctx;
  const x = input0(ctx);
  if (spec.op === 'DepthToSpace' || spec.op === 'SpaceToDepth') {
    const layer = new ConvScopeTensorFlowOp({ name, op: spec.op, blockSize: spec.blockSize ?? 1 });
    return g.value(g.apply(layer, g.get(x, 'cl')), 'cl');
  }
  const learnt = BINARY_OPS.has(spec.op) && spec.constant === undefined ? spec.constantShape : undefined;
  const start = neutralConstant(spec.op);
  if (BINARY_OPS.has(spec.op) && spec.constant === undefined && (!learnt || start === null))
    throw new Error(
      learnt
        ? `its TensorFlow op ${spec.op} applies a constant the file holds as a weight, whose values ConvScope does not load, and ${spec.op} has no neutral value to learn it from: replace the layer to train this model in the tab.`
        : `its TensorFlow op ${spec.op} applies a constant ConvScope does not know (a tensor in the file), so its values cannot be computed: set the layer's constant to train this model in the tab.`,
    );
  const { tensor, form } = g.any(x);
  // The learnt constant broadcasts against the tensor as it runs: channels-last inside a channels-first model.
  const moved = form === 'cl' && !g.sameLayouts(x.rank);
  const layer = new ConvScopeTensorFlowOp({
    name,
    op: spec.op,
    constant: spec.constant ?? null,
    constantFirst: spec.constantFirst ?? false,
    constantShape: learnt ? (moved ? constantInLayout(learnt, x.rank, true) : learnt) : null,
    constantStart: start ?? 0,
  });
  return g.value(g.apply(layer, tensor), form);
}

/** Lambda layers hold Python code: there is nothing to run, so training is refused, with what to do. */
export function refuseLambda(_ctx: MapContext<Spec<'Lambda'>>): never {
  throw new Error(
    'a Lambda layer runs Python code that is not in the model file, so the browser cannot run it: replace it with the layers it computes (Activation, Rescaling, Reshape, …) to train this model in the tab.',
  );
}
