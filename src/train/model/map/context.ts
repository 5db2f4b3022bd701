import type * as tf from '@tensorflow/tfjs';
import type { LayerResult } from '../../../engine/analysis/result';
import type { ActivationName } from '../ops/activation';
import { ConvScopeActivation } from '../layers/simple-layers';
import type { Form, Graph, Value } from '../graph';

/** What a layer's translation gets: the graph, the engine's result, the tfjs name of its output, its inputs. */
export interface MapContext<S> {
  readonly g: Graph;
  readonly r: LayerResult;
  readonly spec: S;
  readonly name: string;
  readonly inputs: readonly Value[];
}

/** The first input. */
export function input0(ctx: MapContext<unknown>): Value {
  return ctx.inputs[0] as Value;
}

/**
 * Activations tfjs-layers can run inside its own layers with the engine's semantics and a
 * gradient. tfjs fuses 'elu' into conv2d, and its fused kernels have no gradient for elu.
 */
export function fusable(activation: string): activation is 'relu' | 'linear' {
  return activation === 'relu' || activation === 'linear';
}

/**
 * The layer's activation as a layer of its own, named as the engine layer: softmax runs over
 * the last axis of the engine's layout, the others on any layout.
 */
export function activated(
  ctx: MapContext<unknown>,
  pre: tf.SymbolicTensor,
  form: Form,
  activation: ActivationName,
  alpha?: number,
): Value {
  const { g } = ctx;
  const value = g.value(pre, form);
  if (activation === 'linear' && pre.sourceLayer.name === ctx.name) return value;
  const x = activation === 'softmax' ? g.get(value, 'eng') : g.any(value).tensor;
  const outForm = activation === 'softmax' ? 'eng' : g.any(value).form;
  const layer = new ConvScopeActivation({ name: ctx.name, activation, alpha: alpha ?? null });
  return g.value(g.apply(layer, x), outForm);
}

/**
 * Where a layer's activation runs: inside the tfjs layer (`inside`, when the layer is tfjs' own
 * and the activation fusable), or after it as a layer of its own (`after`). The computing layer
 * takes the engine's name unless an activation layer follows, which then takes it.
 */
export function splitActivation(
  ctx: MapContext<unknown>,
  activation: ActivationName,
  builtIn: boolean,
): { name: string; inside: 'relu' | 'linear'; after: ActivationName } {
  if (activation === 'linear') return { name: ctx.name, inside: 'linear', after: 'linear' };
  if (builtIn && fusable(activation)) return { name: ctx.name, inside: activation, after: 'linear' };
  return { name: ctx.g.helper(ctx.name, 'linear'), inside: 'linear', after: activation };
}

export type { Value };
