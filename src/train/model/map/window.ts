import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../engine/layers/registry';
import { windowOutputLength, type SidePadding } from '../../../engine/shape/conv-arithmetic';
import { expand } from '../../../engine/shape/shape';
import { ConvScopePool } from '../layers/pool-layer';
import { ConvScopeGlobalMaxPool } from '../layers/simple-layers';
import { input0, type MapContext, type Value } from './context';

type PoolSpec = Extract<LayerSpec, { type: 'MaxPooling1D' | 'MaxPooling2D' | 'AveragePooling1D' | 'AveragePooling2D' }>;
type GlobalSpec = Extract<
  LayerSpec,
  { type: 'GlobalAveragePooling1D' | 'GlobalAveragePooling2D' | 'GlobalMaxPooling1D' | 'GlobalMaxPooling2D' }
>;

/**
 * Pooling: tfjs-layers' own for 'valid'/'same' (TensorFlow's semantics: 'same' averages count
 * only real positions); ours for PyTorch's explicit padding and for ceil mode where it changes
 * the output (or may, when a size is open).
 */
export function mapPool(ctx: MapContext<PoolSpec>): Value {
  const { g, spec, name } = ctx;
  const rank = spec.type.endsWith('1D') ? 1 : 2;
  const max = spec.type.startsWith('Max');
  const size = expand(spec.poolSize, rank);
  const strides = spec.strides === null ? size : expand(spec.strides, rank);
  const geometry = ctx.r.geometry ?? [];
  const ceilMatters =
    spec.ceilMode &&
    geometry.some(
      (a) =>
        a.input === null ||
        a.padding === null ||
        a.output !== windowOutputLength(a.input, a.kernel, a.stride, 1, a.padding, false),
    );
  const x = g.get(input0(ctx), 'cl');
  let layer: tf.layers.Layer;
  if ((spec.padding === 'valid' || spec.padding === 'same') && !ceilMatters) {
    const padding = spec.padding;
    if (rank === 1) {
      const args = { name, poolSize: size[0] as number, strides: strides[0] as number, padding };
      layer = max ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args);
    } else {
      const args = { name, poolSize: size as [number, number], strides: strides as [number, number], padding };
      layer = max ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    }
  } else {
    const padding =
      spec.padding === 'valid' || spec.padding === 'same'
        ? spec.padding
        : geometry.map((a): SidePadding => a.padding ?? [0, 0]);
    layer = new ConvScopePool({ name, max, size, strides, padding, ceilMode: spec.ceilMode });
  }
  return g.value(g.apply(layer, x), 'cl');
}

/**
 * Global average pooling is tfjs' own (keepdims, which it lacks, as a Reshape after it); global
 * max pooling is ours, for its gradient at tied maxima (see `globalMax`).
 */
export function mapGlobalPool(ctx: MapContext<GlobalSpec>): Value {
  const { g, spec, name } = ctx;
  const x = g.get(input0(ctx), 'cl');
  if (spec.type.startsWith('GlobalMax')) {
    return g.value(g.apply(new ConvScopeGlobalMaxPool({ name, keepdims: spec.keepdims }), x), 'cl');
  }
  const make =
    spec.type === 'GlobalAveragePooling1D' ? tf.layers.globalAveragePooling1d : tf.layers.globalAveragePooling2d;
  const pooled = g.apply(make({ name: spec.keepdims ? g.helper(name, 'pool') : name }), x);
  if (!spec.keepdims) return g.value(pooled, 'cl');
  const channels = x.shape[x.shape.length - 1] as number;
  const ones = x.shape.slice(1, -1).map(() => 1);
  return g.value(g.apply(tf.layers.reshape({ name, targetShape: [...ones, channels] }), pooled), 'cl');
}
