import type { LayerResult } from '../../engine/analysis/result';
import { rankInName, type AxisGeometry } from '../../engine/layers/kind';
import type { LayerSpec } from '../../engine/layers/registry';
import { samePadding, windowOutputLength } from '../../engine/shape/conv-arithmetic';
import { channelAxis, expand, type DataFormat } from '../../engine/shape/shape';
import type { KerasExtras, KerasLayer } from './keras-graph';
import type { ProblemList } from './problems';

/** What the layer translations below need from the graph being built. */
export interface Emitter {
  readonly format: DataFormat;
  readonly problems: ProblemList;
  readonly layers: KerasLayer[];
  emit(
    className: string,
    config: Record<string, unknown>,
    inputs: readonly string[],
    name: string,
    extras?: KerasExtras,
  ): string;
  /** A fresh name for a helper layer the model did not have ("conv1_pad"). */
  helper(base: string): string;
  map(spec: LayerSpec, r: LayerResult, inputs: readonly string[], name: string): string;
}

/** Keras 3's leaky_relu activation: slope 0.2 for negative inputs (the engine's default too). */
export const LEAKY_SLOPE = 0.2;

/** Keras has 'valid', 'same' and 'causal'; explicit padding becomes a ZeroPadding layer before. */
export function paddingLayer(
  b: Emitter,
  spec: unknown,
  geometry: readonly AxisGeometry[],
  inputs: readonly string[],
  name: string,
  rank: number,
): [string, string] {
  if (spec === 'valid' || spec === 'same' || spec === 'causal') return [spec, inputs[0] as string];
  const pads = geometry.map((g) => g.padding ?? [0, 0]);
  if (pads.every(([a, b]) => a === 0 && b === 0)) return ['valid', inputs[0] as string];
  // Explicit padding that happens to be TF's 'same' for this input is written as 'same'.
  const same = geometry.every(
    (g, i) => g.input !== null && samePadding(g.input, g.kernel, g.stride, g.dilation).join() === pads[i]?.join(),
  );
  if (same) return ['same', inputs[0] as string];
  const padding = rank === 1 ? pads[0] : pads;
  const pad = b.emit(
    `ZeroPadding${rank}D`,
    { padding, ...(rank > 1 ? { data_format: b.format } : {}) },
    inputs,
    b.helper(`${name}_pad`),
  );
  return ['valid', pad];
}

/** A layer with its activation; leaky ReLU is a layer of its own in Keras. */
export function activated(
  b: Emitter,
  className: string,
  config: Record<string, unknown>,
  activation: string,
  inputs: readonly string[],
  name: string,
): string {
  if (activation !== 'leaky_relu') return b.emit(className, { ...config, activation }, inputs, name);
  const linear = b.emit(className, { ...config, activation: 'linear' }, inputs, b.helper(`${name}_linear`));
  return b.emit('LeakyReLU', { alpha: LEAKY_SLOPE }, [linear], name);
}

export function transposedLayers(
  b: Emitter,
  spec: Extract<LayerSpec, { type: 'Conv1DTranspose' | 'Conv2DTranspose' }>,
  geometry: readonly AxisGeometry[],
  inputs: readonly string[],
  name: string,
): string {
  const rank = spec.type === 'Conv1DTranspose' ? 1 : 2;
  const common = {
    filters: spec.filters,
    kernel_size: expand(spec.kernelSize, rank),
    strides: expand(spec.strides, rank),
    data_format: b.format,
    dilation_rate: expand(spec.dilationRate, rank),
    use_bias: spec.useBias,
    activation: spec.activation,
  };
  if (spec.groups !== 1) {
    b.problems.add(name, `${spec.type} with groups = ${spec.groups}: Keras' transposed convolutions have no groups.`);
  }
  if ((spec.padding === 'valid' || spec.padding === 'same') && spec.outputPadding === null) {
    return b.emit(spec.type, { ...common, padding: spec.padding, output_padding: null }, inputs, name);
  }
  // PyTorch's crop: a 'valid' transposed convolution with the same output padding, then Cropping.
  const crops = geometry.map((g) => g.padding ?? [0, 0]);
  const outputPadding = geometry.map((g, i) => {
    const full = windowlessLength(g);
    return (g.output ?? 0) - full + (crops[i]?.[0] ?? 0) + (crops[i]?.[1] ?? 0);
  });
  const cropped = crops.some(([a, b]) => a + b > 0);
  const conv = b.emit(
    spec.type,
    { ...common, padding: 'valid', output_padding: outputPadding },
    inputs,
    cropped ? b.helper(`${name}_uncropped`) : name,
  );
  if (!cropped) return conv;
  return b.emit(
    rank === 1 ? 'Cropping1D' : 'Cropping2D',
    { cropping: rank === 1 ? crops[0] : crops, ...(rank === 2 ? { data_format: b.format } : {}) },
    [conv],
    name,
  );
}

export function poolingLayers(
  b: Emitter,
  spec: Extract<LayerSpec, { type: `${'Max' | 'Average'}Pooling${'1D' | '2D' | '3D'}` }>,
  geometry: readonly AxisGeometry[],
  inputs: readonly string[],
  name: string,
): string {
  const rank = rankInName(spec.type);
  const floor = geometry.map((g) =>
    g.input === null || !g.padding ? g.output : windowOutputLength(g.input, g.kernel, g.stride, 1, g.padding, false),
  );
  if (spec.ceilMode && geometry.some((g, i) => g.output !== floor[i])) {
    b.problems.add(
      name,
      `ceil mode changes this layer's output (${geometry.map((g) => g.output).join('×')} instead of ${floor.join('×')}): Keras pooling has no ceil mode, and padding cannot reproduce its partial windows exactly.`,
    );
  }
  const explicit =
    typeof spec.padding !== 'string' && geometry.some((g) => g.padding && g.padding[0] + g.padding[1] > 0);
  if (explicit && spec.type.startsWith('Max')) {
    b.problems.add(
      name,
      "explicit padding on max pooling pads with −∞ in PyTorch, but Keras' ZeroPadding pads with 0, which changes the maximum of negative values. Use 'same' or 'valid' padding.",
    );
  }
  const [padding, source] = paddingLayer(b, spec.padding, geometry, inputs, name, rank);
  const strides = spec.strides === null ? null : expand(spec.strides, rank);
  return b.emit(
    spec.type,
    { pool_size: expand(spec.poolSize, rank), strides, padding, data_format: b.format },
    [source],
    name,
  );
}

export function timeDistributedLayer(
  b: Emitter,
  inner: LayerSpec,
  r: LayerResult,
  inputs: readonly string[],
  name: string,
): string {
  const child = r.children?.[0];
  const mark = b.layers.length;
  if (!child) return name;
  b.map(inner, child, ['__step__'], `${name}__inner`);
  const emitted = b.layers.splice(mark);
  if (emitted.length !== 1) {
    b.problems.add(
      name,
      `TimeDistributed(${inner.type}) would need ${emitted.length} Keras layers inside the wrapper; Keras wraps exactly one.`,
    );
    return name;
  }
  const wrapped = emitted[0] as KerasLayer;
  return b.emit(
    'TimeDistributed',
    {
      layer: {
        class_name: wrapped.className,
        config: { ...wrapped.config, name: `${name}_${wrapped.className.toLowerCase()}` },
      },
    },
    inputs,
    name,
  );
}

/**
 * Option A's shortcut with standard layers: a 1-pixel pooling with the stride subsamples;
 * channels are zero-padded by moving them to a spatial axis, padding, and moving them back.
 */
export function zeroPadShortcutLayers(
  b: Emitter,
  r: LayerResult,
  strides: readonly number[],
  input: string,
  name: string,
): string {
  const rank = strides.length;
  const inChannels = r.inputShapes[0]?.[channelAxis(r.inputShapes[0].length, b.format)] ?? 0;
  const outChannels = r.output?.[channelAxis(r.output.length, b.format)] ?? 0;
  const before = Math.floor(((outChannels as number) - (inChannels as number)) / 2);
  const after = (outChannels as number) - (inChannels as number) - before;
  let x = input;
  if (strides.some((s) => s > 1)) {
    x = b.emit(
      rank === 1 ? 'MaxPooling1D' : 'MaxPooling2D',
      { pool_size: strides.map(() => 1), strides, padding: 'valid', data_format: b.format },
      [x],
      b.helper(`${name}_subsample`),
    );
  }
  if (b.format === 'channels_first' || (rank !== 2 && rank !== 1)) {
    b.problems.add(
      name,
      'an option A shortcut in a channels-first model: Keras cannot zero-pad channels there with standard layers.',
    );
    return x;
  }
  if (rank === 1) {
    x = b.emit('Permute', { dims: [2, 1] }, [x], b.helper(`${name}_to_channels`));
    x = b.emit('ZeroPadding1D', { padding: [before, after] }, [x], b.helper(`${name}_pad`));
    return b.emit('Permute', { dims: [2, 1] }, [x], name);
  }
  x = b.emit('Permute', { dims: [3, 1, 2] }, [x], b.helper(`${name}_to_channels`));
  x = b.emit(
    'ZeroPadding2D',
    {
      padding: [
        [before, after],
        [0, 0],
      ],
      data_format: 'channels_last',
    },
    [x],
    b.helper(`${name}_pad`),
  );
  return b.emit('Permute', { dims: [2, 3, 1] }, [x], name);
}

/** Output length of a transposed convolution with no crop and no output padding. */
function windowlessLength(g: AxisGeometry): number {
  const span = g.dilation * (g.kernel - 1) + 1;
  return ((g.input ?? 1) - 1) * g.stride + span;
}
