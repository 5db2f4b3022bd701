import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../engine/layers/registry';
import { add } from '../layers/add-layer';
import { batchNormalization } from '../layers/batch-norm-layer';
import { glorotUniform } from '../layers/common';
import { ConvScopeActivation, ConvScopeSlice } from '../layers/simple-layers';
import type { Form } from '../graph';
import { activated, input0, splitActivation, type MapContext, type Value } from './context';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/**
 * Batch normalisation over the channels (channels-last inside, axis −1), or over an explicit
 * Keras-style axis of the engine's layout. Moving statistics count as parameters in both.
 */
export function mapBatchNorm(ctx: MapContext<Spec<'BatchNormalization'>>): Value {
  const { g, spec, name } = ctx;
  const form: Form = spec.axis === undefined ? 'cl' : 'eng';
  const x = g.get(input0(ctx), form);
  const layer = batchNormalization({
    name,
    axis: spec.axis ?? -1,
    epsilon: spec.epsilon,
    momentum: spec.momentum,
    center: spec.center,
    scale: spec.scale,
  });
  return g.value(g.apply(layer, x), form);
}

export function mapDropout(ctx: MapContext<Spec<'Dropout'>>): Value {
  const { tensor, form } = ctx.g.any(input0(ctx));
  return ctx.g.value(ctx.g.apply(tf.layers.dropout({ name: ctx.name, rate: ctx.spec.rate }), tensor), form);
}

export function mapActivation(ctx: MapContext<Spec<'Activation'>>): Value {
  const { g, spec } = ctx;
  const v = input0(ctx);
  const { tensor, form } = spec.activation === 'softmax' ? { tensor: g.get(v, 'eng'), form: 'eng' as const } : g.any(v);
  const layer = new ConvScopeActivation({ name: ctx.name, activation: spec.activation, alpha: spec.alpha ?? null });
  return g.value(g.apply(layer, tensor), form);
}

/** Dense on the last axis of the engine's layout (Keras and PyTorch alike), Glorot-uniform kernel. */
export function mapDense(ctx: MapContext<Spec<'Dense'>>): Value {
  const { g, spec } = ctx;
  const { name, inside, after } = splitActivation(ctx, spec.activation, true);
  const layer = tf.layers.dense({
    name,
    units: spec.units,
    useBias: spec.useBias,
    activation: inside,
    kernelInitializer: glorotUniform(g.nextSeed()),
  });
  return activated(ctx, g.apply(layer, g.get(input0(ctx), 'eng')), 'eng', after);
}

/** Flatten in the engine's memory order; a Reshape to [−1] when a size is open (tfjs' Flatten refuses that). */
export function mapFlatten(ctx: MapContext<Spec<'Flatten'>>): Value {
  const x = ctx.g.get(input0(ctx), 'eng');
  const known = x.shape.slice(1).every((d) => d !== null);
  const layer = known
    ? tf.layers.flatten({ name: ctx.name })
    : tf.layers.reshape({ name: ctx.name, targetShape: [-1] });
  return ctx.g.value(ctx.g.apply(layer, x), 'eng');
}

/** Reshape; the −1 resolved from the engine's output when sizes are known (tfjs' Reshape leaves it open). */
export function mapReshape(ctx: MapContext<Spec<'Reshape'>>): Value {
  const known = ctx.r.output?.every((d) => d !== null) ? (ctx.r.output as number[]) : null;
  const layer = tf.layers.reshape({ name: ctx.name, targetShape: known ?? [...ctx.spec.targetShape] });
  return ctx.g.value(ctx.g.apply(layer, ctx.g.get(input0(ctx), 'eng')), 'eng');
}

export function mapPermute(ctx: MapContext<Spec<'Permute'>>): Value {
  const layer = tf.layers.permute({ name: ctx.name, dims: [...ctx.spec.dims] });
  return ctx.g.value(ctx.g.apply(layer, ctx.g.get(input0(ctx), 'eng')), 'eng');
}

/** Slice of one axis of the engine's layout (axis 1-based, batch excluded: the tensor's axis index). */
export function mapSlice(ctx: MapContext<Spec<'Slice'>>): Value {
  const { axis, start, end } = ctx.spec;
  const layer = new ConvScopeSlice({ name: ctx.name, axis, start, end });
  return ctx.g.value(ctx.g.apply(layer, ctx.g.get(input0(ctx), 'eng')), 'eng');
}

/**
 * Element-wise merges: in channels-last when every input already is and all ranks agree
 * (broadcasting then lines up the same axes), else in the engine's layout.
 */
export function mapMerge(ctx: MapContext<Spec<'Add' | 'Multiply' | 'Average' | 'Maximum'>>): Value {
  const { g, inputs, name } = ctx;
  const sameRank = inputs.every((v) => v.rank === inputs[0]?.rank);
  const form: Form = sameRank && inputs.every((v) => v.forms.cl) ? 'cl' : 'eng';
  const make = {
    Add: add,
    Multiply: tf.layers.multiply,
    Average: tf.layers.average,
    Maximum: tf.layers.maximum,
  }[ctx.spec.type];
  const merged = g.apply(
    make({ name }),
    inputs.map((v) => g.get(v, form)),
  );
  return g.value(merged, form);
}

/** Concatenate: on the channels (channels-last inside, axis −1) or an explicit axis of the engine's layout. */
export function mapConcatenate(ctx: MapContext<Spec<'Concatenate'>>): Value {
  const { g, spec, inputs, name } = ctx;
  const form: Form = spec.axis === undefined ? 'cl' : 'eng';
  const joined = g.apply(
    tf.layers.concatenate({ name, axis: spec.axis ?? -1 }),
    inputs.map((v) => g.get(v, form)),
  );
  return g.value(joined, form);
}
