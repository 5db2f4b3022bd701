import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../engine/layers/registry';
import { ConvScopeNormalization } from '../layers/normalization-layer';
import { input0, type MapContext, type Value } from './context';

type Spec<T extends LayerSpec['type']> = Extract<LayerSpec, { type: T }>;

/** tfjs-layers' own Rescaling: elementwise, so any layout. */
export function mapRescaling(ctx: MapContext<Spec<'Rescaling'>>): Value {
  const { tensor, form } = ctx.g.any(input0(ctx));
  const layer = tf.layers.rescaling({ name: ctx.name, scale: ctx.spec.scale, offset: ctx.spec.offset });
  return ctx.g.value(ctx.g.apply(layer, tensor), form);
}

/** Keras' Normalization on the engine's layout, where its axis is written. */
export function mapNormalization(ctx: MapContext<Spec<'Normalization'>>): Value {
  const { g, spec, name } = ctx;
  const x = g.get(input0(ctx), 'eng');
  const layer = new ConvScopeNormalization({
    name,
    axis: spec.axis,
    mean: spec.mean ?? null,
    variance: spec.variance ?? null,
    invert: spec.invert,
  });
  return g.value(g.apply(layer, x), 'eng');
}
