import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../engine/layers/registry';
import type { AxisGeometry } from '../../../engine/layers/kind';
import {
  dilatedKernel,
  kerasTransposedPadding,
  samePadding,
  type SidePadding,
} from '../../../engine/shape/conv-arithmetic';
import { expand } from '../../../engine/shape/shape';
import { heNormal, glorotUniform } from '../layers/common';
import { ConvScopeConv } from '../layers/conv-layer';
import { ConvScopeBorder } from '../layers/simple-layers';
import { ConvScopeConvTranspose } from '../layers/transposed-layer';
import { activated, input0, splitActivation, type MapContext, type Value } from './context';

type ConvSpec = Extract<LayerSpec, { type: 'Conv1D' | 'Conv2D' | 'DepthwiseConv2D' | 'SeparableConv2D' }>;
type TransposedSpec = Extract<LayerSpec, { type: 'Conv1DTranspose' | 'Conv2DTranspose' }>;

/**
 * Padding that tfjs' 'valid'/'same' cannot say (PyTorch's explicit amounts, Keras' causal) as a
 * zero-padding layer before a 'valid' convolution: causal is (k − 1)·d on the left only.
 * Amounts equal to TensorFlow's 'same' for this input are 'same'.
 */
function padFirst(
  ctx: MapContext<unknown>,
  x: tf.SymbolicTensor,
  padding: unknown,
  geometry: readonly AxisGeometry[],
): { x: tf.SymbolicTensor; padding: 'valid' | 'same' } {
  if (padding === 'valid' || padding === 'same') return { x, padding };
  const sides = geometry.map((a): SidePadding => a.padding ?? [0, 0]);
  if (sides.every(([a, b]) => a === 0 && b === 0)) return { x, padding: 'valid' };
  // PyTorch's padding that is TensorFlow's 'same' for this input (3×3, padding 1, stride 1, as
  // in every ResNet) needs no copy of the input: tfjs pads inside the convolution.
  const same = geometry.every(
    (a, i) =>
      a.input !== null &&
      samePadding(a.input, a.kernel, a.stride, a.dilation).join() === (sides[i] as SidePadding).join(),
  );
  if (same) return { x, padding: 'same' };
  return { x: zeroPad(ctx, x, sides, 'pad'), padding: 'valid' };
}

/** Zero padding of the spatial axes: tfjs' ZeroPadding2D where its shape arithmetic holds (known sizes), ours otherwise. */
export function zeroPad(
  ctx: MapContext<unknown>,
  x: tf.SymbolicTensor,
  sides: readonly SidePadding[],
  what: string,
  name = ctx.g.helper(ctx.name, what),
): tf.SymbolicTensor {
  const spatial = x.shape.slice(1, -1);
  const layer =
    sides.length === 2 && spatial.every((d) => d !== null) && sides.every(([a, b]) => a >= 0 && b >= 0)
      ? tf.layers.zeroPadding2d({
          padding: [[...sides[0]!], [...sides[1]!]] as [[number, number], [number, number]],
          name,
        })
      : new ConvScopeBorder({ name, sides, value: 0 });
  return ctx.g.apply(layer, x);
}

export function mapConv(ctx: MapContext<ConvSpec>): Value {
  const { g, spec } = ctx;
  const rank = spec.type === 'Conv1D' ? 1 : 2;
  const kernelSize = expand(spec.kernelSize, rank);
  const strides = expand(spec.strides, rank);
  const dilation = expand(spec.dilationRate, rank);
  const geometry = ctx.r.geometry ?? [];
  const padded = padFirst(ctx, g.get(input0(ctx), 'cl'), spec.padding, geometry);
  const groups = 'groups' in spec ? spec.groups : 1;
  const builtIn = groups === 1 && dilation.every((d) => d === 1);
  const { name, inside, after } = splitActivation(ctx, spec.activation, builtIn);
  const common = { name, kernelSize, strides, padding: padded.padding, useBias: spec.useBias, activation: inside };
  let layer: tf.layers.Layer;
  if (!builtIn) {
    layer = new ConvScopeConv({
      name,
      mode: spec.type === 'DepthwiseConv2D' ? 'depthwise' : spec.type === 'SeparableConv2D' ? 'separable' : 'conv',
      filters: 'filters' in spec ? spec.filters : 0,
      kernelSize,
      strides,
      dilation,
      padding: padded.padding,
      groups,
      depthMultiplier: 'depthMultiplier' in spec ? spec.depthMultiplier : 1,
      useBias: spec.useBias,
      seed: g.nextSeed(),
    });
  } else if (spec.type === 'DepthwiseConv2D') {
    layer = tf.layers.depthwiseConv2d({
      ...common,
      kernelSize: kernelSize as [number, number],
      depthMultiplier: spec.depthMultiplier,
      depthwiseInitializer: glorotUniform(g.nextSeed()),
    });
  } else if (spec.type === 'SeparableConv2D') {
    layer = tf.layers.separableConv2d({
      ...common,
      filters: spec.filters,
      depthMultiplier: spec.depthMultiplier,
      depthwiseInitializer: glorotUniform(g.nextSeed()),
      pointwiseInitializer: glorotUniform(g.nextSeed()),
    });
  } else {
    const make = rank === 1 ? tf.layers.conv1d : tf.layers.conv2d;
    layer = make({ ...common, filters: spec.filters, kernelInitializer: heNormal(g.nextSeed()) });
  }
  return activated(ctx, g.apply(layer, padded.x), 'cl', after);
}

/**
 * Crop and output padding of one axis, as the engine resolves them (`conv-transpose.ts`):
 * Keras' 'valid'/'same' follow deconv_output_length, with output padding Keras crops k_eff//2
 * per side for 'same'; explicit numbers are PyTorch's.
 */
function axisCrop(spec: TransposedSpec, i: number, k: number, s: number, d: number) {
  const outputPadding = spec.outputPadding === null ? null : (expand(spec.outputPadding, expandRank(spec))[i] ?? 0);
  const mode = spec.padding;
  if (mode === 'valid' || mode === 'same') {
    if (outputPadding === null) return kerasTransposedPadding(mode, k, s, d);
    const p = mode === 'same' ? Math.floor(dilatedKernel(k, d) / 2) : 0;
    return { padding: [p, p] as SidePadding, outputPadding };
  }
  const entry = typeof mode === 'number' ? mode : ((mode as readonly (number | readonly [number, number])[])[i] ?? 0);
  const padding: SidePadding = typeof entry === 'number' ? [entry, entry] : [entry[0], entry[1]];
  return { padding, outputPadding: outputPadding ?? 0 };
}

function expandRank(spec: TransposedSpec): number {
  return spec.type === 'Conv1DTranspose' ? 1 : 2;
}

export function mapTransposed(ctx: MapContext<TransposedSpec>): Value {
  const { g, spec } = ctx;
  const rank = expandRank(spec);
  const kernel = expand(spec.kernelSize, rank);
  const strides = expand(spec.strides, rank);
  const dilation = expand(spec.dilationRate, rank);
  const x = g.get(input0(ctx), 'cl');
  const keras = spec.padding === 'valid' || spec.padding === 'same';
  const builtIn =
    rank === 2 && keras && spec.outputPadding === null && spec.groups === 1 && dilation.every((d) => d === 1);
  const { name, inside, after } = splitActivation(ctx, spec.activation, builtIn);
  let layer: tf.layers.Layer;
  if (builtIn) {
    layer = tf.layers.conv2dTranspose({
      name,
      filters: spec.filters,
      kernelSize: kernel,
      strides,
      padding: spec.padding as 'valid' | 'same',
      useBias: spec.useBias,
      activation: inside,
      kernelInitializer: heNormal(g.nextSeed()),
    });
  } else {
    const crops = kernel.map((k, i) => axisCrop(spec, i, k, strides[i] ?? 1, dilation[i] ?? 1));
    layer = new ConvScopeConvTranspose({
      name,
      filters: spec.filters,
      kernel,
      strides,
      dilation,
      groups: spec.groups,
      crop: crops.map((c) => c.padding),
      outputPadding: crops.map((c) => c.outputPadding),
      useBias: spec.useBias,
      seed: g.nextSeed(),
    });
  }
  return activated(ctx, g.apply(layer, x), 'cl', after);
}
