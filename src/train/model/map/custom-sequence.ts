import type { LayerSpec } from '../../../engine/layers/registry';
import { BINARY_OPS } from '../../../engine/layers/tf-op';
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
 * element-wise ops on whichever layout the input has.
 */
export function mapTensorFlowOp(ctx: MapContext<Spec<'TensorFlowOp'>>): Value {
  const { g, spec, name } = ctx;
  const x = input0(ctx);
  if (spec.op === 'DepthToSpace' || spec.op === 'SpaceToDepth') {
    const layer = new ConvScopeTensorFlowOp({ name, op: spec.op, blockSize: spec.blockSize ?? 1 });
    return g.value(g.apply(layer, g.get(x, 'cl')), 'cl');
  }
  if (BINARY_OPS.has(spec.op) && spec.constant === undefined)
    throw new Error(
      `its TensorFlow op ${spec.op} applies a constant ConvScope does not know (a tensor in the file), so its values cannot be computed: set the layer's constant to train this model in the tab.`,
    );
  const { tensor, form } = g.any(x);
  const layer = new ConvScopeTensorFlowOp({
    name,
    op: spec.op,
    constant: spec.constant ?? null,
    constantFirst: spec.constantFirst ?? false,
  });
  return g.value(g.apply(layer, tensor), form);
}

/** Lambda layers hold Python code: there is nothing to run, so training is refused, with what to do. */
export function refuseLambda(_ctx: MapContext<Spec<'Lambda'>>): never {
  throw new Error(
    'a Lambda layer runs Python code that is not in the model file, so the browser cannot run it: replace it with the layers it computes (Activation, Rescaling, Reshape, …) to train this model in the tab.',
  );
}
