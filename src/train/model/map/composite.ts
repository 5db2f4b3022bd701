import type { LayerResult } from '../../../engine/analysis/result';
import type { LayerSpec } from '../../../engine/layers/registry';
import { expand } from '../../../engine/shape/shape';
import { ConvScopeMergeSteps, ConvScopeSplitSteps, ConvScopeZeroPadShortcut } from '../layers/simple-layers';
import type { Graph, Value } from '../graph';
import { childName } from '../names';
import { input0, type MapContext } from './context';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/** Builds one engine layer (the caller's dispatcher, passed in to avoid a cycle between files). */
export type MapLayer = (g: Graph, r: LayerResult, name: string, inputs: readonly Value[]) => Value;

/**
 * A block (ResNetBasicBlock, ResNetBottleneckBlock) as the engine expands it: its children, fed
 * by the block's input (their 'input'), each named block/child; the last is the block itself.
 */
export function mapBlock(ctx: MapContext<unknown>, mapLayer: MapLayer): Value {
  const children = ctx.r.children ?? [];
  const scope = new Map<string, Value>([['input', input0(ctx)]]);
  let last = input0(ctx);
  children.forEach((child, i) => {
    const inputs = child.inputs.map((n) => scope.get(n) as Value);
    last = mapLayer(ctx.g, child, childName(ctx.name, child.name, i === children.length - 1), inputs);
    scope.set(child.name, last);
  });
  return last;
}

/**
 * TimeDistributed: steps folded into the batch, the wrapped layer (name wrapper/layer) applied
 * once with shared weights, and the steps unfolded again.
 */
export function mapTimeDistributed(ctx: MapContext<Spec<'TimeDistributed'>>, mapLayer: MapLayer): Value {
  const { g, name } = ctx;
  const x = g.get(input0(ctx), 'eng');
  const merged = g.apply(new ConvScopeMergeSteps({ name: g.helper(name, 'merge_steps') }), x);
  const child = ctx.r.children?.[0] as LayerResult;
  const inner = mapLayer(g, child, childName(name, child.name, false), [g.value(merged, 'eng')]);
  const split = g.apply(new ConvScopeSplitSteps({ name }), [g.get(inner, 'eng'), x]);
  return g.value(split, 'eng');
}

export function mapZeroPadShortcut(ctx: MapContext<Spec<'ZeroPadShortcut'>>): Value {
  const { g } = ctx;
  const x = g.get(input0(ctx), 'cl');
  const strides = expand(ctx.spec.strides, x.shape.length - 2);
  const layer = new ConvScopeZeroPadShortcut({ name: ctx.name, filters: ctx.spec.filters, strides });
  return g.value(g.apply(layer, x), 'cl');
}
