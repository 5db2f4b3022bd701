import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../engine/layers/registry';
import type { SidePadding } from '../../../engine/shape/conv-arithmetic';
import { expand } from '../../../engine/shape/shape';
import { ConvScopeBorder, ConvScopeUpsample } from '../layers/simple-layers';
import { zeroPad } from './conv';
import { input0, type MapContext, type Value } from './context';

type BorderSpec = Extract<LayerSpec, { type: 'ZeroPadding1D' | 'ZeroPadding2D' | 'Cropping1D' | 'Cropping2D' }>;
type UpSpec = Extract<LayerSpec, { type: 'UpSampling1D' | 'UpSampling2D' }>;

/** [before, after] per spatial axis from Keras' forms (an int; in 1-D a pair; in 2-D a pair per axis or an int per axis). */
export function sidesOf(value: number | readonly (number | readonly [number, number])[], rank: number): SidePadding[] {
  if (typeof value === 'number') return Array.from({ length: rank }, (): SidePadding => [value, value]);
  if (rank === 1) return [[value[0] as number, value[1] as number]];
  return value.map((v): SidePadding => (typeof v === 'number' ? [v, v] : [v[0], v[1]]));
}

/** Zero padding and cropping of the borders (crops are negative amounts of our border layer). */
export function mapBorder(ctx: MapContext<BorderSpec>): Value {
  const { g, spec, name } = ctx;
  const rank = spec.type.endsWith('1D') ? 1 : 2;
  const x = g.get(input0(ctx), 'cl');
  const known = x.shape.slice(1, -1).every((d) => d !== null);
  if (spec.type === 'ZeroPadding1D' || spec.type === 'ZeroPadding2D') {
    return g.value(zeroPad(ctx, x, sidesOf(spec.padding, rank), '', name), 'cl');
  }
  const crop = sidesOf(spec.cropping, rank);
  const layer =
    rank === 2 && known
      ? tf.layers.cropping2D({ name, cropping: crop.map((c) => [...c]) as [[number, number], [number, number]] })
      : new ConvScopeBorder({ name, sides: crop.map(([a, b]): SidePadding => [-a, -b]), value: 0 });
  return g.value(g.apply(layer, x), 'cl');
}

/**
 * Upsampling, always ours: tfjs' UpSampling2D computes the right output, but its gradient
 * (ResizeNearestNeighborGrad on the CPU backend, tfjs 4.22) is wrong when the batch holds more
 * than one example, and its bilinear mode has no half-pixel centres.
 */
export function mapUpsampling(ctx: MapContext<UpSpec>): Value {
  const { g, spec, name } = ctx;
  const size = expand(spec.size, spec.type === 'UpSampling1D' ? 1 : 2);
  const layer = new ConvScopeUpsample({ name, size, bilinear: spec.interpolation === 'bilinear' });
  return g.value(g.apply(layer, g.get(input0(ctx), 'cl')), 'cl');
}
