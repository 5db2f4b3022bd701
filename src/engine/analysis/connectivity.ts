import type { LayerSpec } from '../layers/registry';
import type { AxisGeometry } from '../layers/kind';
import { splitChannels, type DataFormat } from '../shape/shape';
import { resolveWiring } from './graph';
import type { Analysis, LayerResult } from './result';

/** Path counts over one layer's output positions (row-major over its spatial axes; a vector is one cell). */
export interface Grid {
  readonly sizes: readonly number[];
  readonly counts: Float64Array;
}

/**
 * Which positions of every earlier layer feed one output position, and through how many paths:
 * a path is one chain of kernel taps (and branches) from that position to the output. Lit
 * positions are those with a count above 0. Channels are not counted: every filter sees every
 * channel of its group, so connectivity is spatial.
 */
export interface Connectivity {
  readonly layer: string;
  readonly position: readonly number[];
  /** Per layer that feeds the position (the layer itself included). */
  readonly grids: ReadonlyMap<string, Grid>;
}

/** Spatial sizes of a layer's output, or null when a size is open. */
export function spatialSizes(layer: LayerResult, format: DataFormat): number[] | null {
  if (!layer.output) return null;
  const sizes = layer.output.length >= 2 ? splitChannels(layer.output, format).spatial : [];
  return sizes.every((d) => d !== null) ? (sizes as number[]) : null;
}

/**
 * Propagates a single path from `position` of `layer` back to the inputs (in reverse
 * dependency order; branches add up). `null` when sizes are open or the position is outside.
 */
export function connectivity(analysis: Analysis, layer: string, position: readonly number[]): Connectivity | null {
  const target = analysis.layers.find((l) => l.name === layer);
  const sizes = target && spatialSizes(target, analysis.model.dataFormat);
  if (
    !target ||
    !sizes ||
    position.length !== sizes.length ||
    position.some((p, i) => p < 0 || p >= (sizes[i] as number))
  )
    return null;
  const start: Grid = { sizes, counts: new Float64Array(cells(sizes)) };
  start.counts[flat(position, sizes)] = 1;
  const order = resolveWiring(analysis.model.layers).order.map((i) => analysis.layers[i] as LayerResult);
  const grids = backward(order, layer, start, analysis.model.dataFormat);
  return grids && { layer, position, grids };
}

function cells(sizes: readonly number[]): number {
  return sizes.reduce((a, b) => a * b, 1);
}

function flat(position: readonly number[], sizes: readonly number[]): number {
  return position.reduce((index, p, i) => index * (sizes[i] as number) + p, 0);
}

/** Backward through layers given in dependency order; returns every reached layer's grid. */
function backward(
  order: readonly LayerResult[],
  from: string,
  start: Grid,
  format: DataFormat,
): Map<string, Grid> | null {
  const grids = new Map<string, Grid>([[from, start]]);
  const byName = new Map(order.map((l) => [l.name, l]));
  for (let i = order.length - 1; i >= 0; i--) {
    const layer = order[i] as LayerResult;
    const grid = grids.get(layer.name);
    if (!grid) continue;
    for (const name of layer.inputs) {
      const source = byName.get(name);
      const sizes = source && spatialSizes(source, format);
      if (!source || !sizes) return null;
      const into = grids.get(name) ?? { sizes, counts: new Float64Array(cells(sizes)) };
      grids.set(name, into);
      if (!propagate(layer, grid, into, format)) return null;
    }
  }
  return grids;
}

/** Taps of one output coordinate along one axis: the input coordinates it reads. */
export type Taps = (o: number) => readonly number[];

function windowTaps(g: AxisGeometry, length: number): Taps {
  const p0 = g.padding?.[0] ?? 0;
  return (o) => {
    const out: number[] = [];
    for (let t = 0; t < g.kernel; t++) {
      const i = o * g.stride - p0 + t * g.dilation;
      if (i >= 0 && i < length) out.push(i);
    }
    return out;
  };
}

/** Transposed convolution: output y receives input x where y = x·s − p₀ + t·d. */
function transposedTaps(g: AxisGeometry, length: number): Taps {
  const p0 = g.padding?.[0] ?? 0;
  return (y) => {
    const out: number[] = [];
    for (let t = 0; t < g.kernel; t++) {
      const n = y + p0 - t * g.dilation;
      if (n % g.stride === 0 && n / g.stride >= 0 && n / g.stride < length) out.push(n / g.stride);
    }
    return out;
  };
}

const identity: Taps = (o) => [o];
const shift =
  (by: number, length: number): Taps =>
  (o) =>
    o + by >= 0 && o + by < length ? [o + by] : [];

/** Adds `grid` (over the layer's output) into `into` (over an input). False if impossible. */
function propagate(layer: LayerResult, grid: Grid, into: Grid, format: DataFormat): boolean {
  const taps = tapsOf(layer, into.sizes, format);
  if (taps === 'global') {
    const total = grid.counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < into.counts.length; i++) into.counts[i] = (into.counts[i] as number) + total;
    return true;
  }
  if (taps === 'children') return block(layer, grid, into, format);
  if (taps.length !== grid.sizes.length || grid.sizes.length !== into.sizes.length) return false;
  scatter(grid, into, taps);
  return true;
}

/**
 * For each output cell with paths, adds its count to every input cell its taps reach. Each axis'
 * tap lists are computed once per coordinate, already multiplied by that axis' stride in the
 * flat input, so the inner loops only add.
 */
function scatter(grid: Grid, into: Grid, taps: readonly Taps[]): void {
  const { sizes, counts } = grid;
  if (sizes.length === 0) {
    into.counts[0] = (into.counts[0] as number) + (counts[0] as number);
    return;
  }
  const strides = into.sizes.map((_, i) => into.sizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const offsets = sizes.map((size, axis) =>
    Array.from({ length: size }, (_, o) => (taps[axis] as Taps)(o).map((i) => i * (strides[axis] as number))),
  );
  const target = into.counts;
  if (sizes.length === 2) {
    const [rows, cols] = offsets as [number[][], number[][]];
    const width = sizes[1] as number;
    for (let index = 0; index < counts.length; index++) {
      const c = counts[index] as number;
      if (c === 0) continue;
      const across = cols[index % width] as number[];
      for (const r of rows[Math.floor(index / width)] as number[])
        for (const k of across) target[r + k] = (target[r + k] as number) + c;
    }
    return;
  }
  const position = sizes.map(() => 0);
  for (let index = 0; index < counts.length; index++) {
    const c = counts[index] as number;
    if (c !== 0)
      addProduct(
        target,
        position.map((o, axis) => (offsets[axis] as number[][])[o] as number[]),
        c,
        0,
        0,
      );
    for (let axis = sizes.length - 1; axis >= 0; axis--) {
      if (++(position[axis] as number) < (sizes[axis] as number)) break;
      position[axis] = 0;
    }
  }
}

function addProduct(
  target: Float64Array,
  lists: readonly (readonly number[])[],
  c: number,
  axis: number,
  offset: number,
): void {
  const list = lists[axis] as readonly number[];
  if (axis === lists.length - 1) {
    for (const i of list) target[offset + i] = (target[offset + i] as number) + c;
    return;
  }
  for (const i of list) addProduct(target, lists, c, axis + 1, offset + i);
}

/**
 * How a layer's output positions read an input's positions, per spatial axis (for drawing the
 * edges of a connectivity figure): a tap list per axis, `'global'` when every output reads every
 * input position, `'children'` for blocks (whose own layers say it).
 */
export function tapsOf(
  layer: LayerResult,
  inputSizes: readonly number[],
  format: DataFormat,
): readonly Taps[] | 'global' | 'children' {
  const spec = layer.spec as LayerSpec;
  const geometry = layer.geometry ?? [];
  switch (spec.type) {
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D':
      return geometry.map((g, i) => windowTaps(g, inputSizes[i] as number));
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return geometry.map((g, i) => transposedTaps(g, inputSizes[i] as number));
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
    case 'ZeroPadding3D':
    case 'Cropping1D':
    case 'Cropping2D':
    case 'Cropping3D': {
      // Padding shifts positions forward (output o reads input o − p); cropping back (o + c).
      const sign = spec.type.startsWith('Zero') ? -1 : 1;
      return inputSizes.map((length, i) => shift(sign * (offsetOf(layer, i) ?? 0), length));
    }
    case 'UpSampling1D':
    case 'UpSampling2D':
    case 'UpSampling3D': {
      const factors = [spec.size].flat();
      const bilinear = spec.type === 'UpSampling2D' && spec.interpolation === 'bilinear';
      return inputSizes.map((length, i) => {
        const f = (factors[i] ?? factors[0]) as number;
        if (!bilinear) return (o: number) => [Math.floor(o / f)];
        return (o: number) => {
          const source = Math.max((o + 0.5) / f - 0.5, 0);
          const lo = Math.min(Math.floor(source), length - 1);
          return lo + 1 < length && source > lo ? [lo, lo + 1] : [lo];
        };
      });
    }
    case 'Slice': {
      // Spatial axis i is axis i (channels last) or i + 1 (channels first) of one example.
      const sliced = spec.axis - 1 - (format === 'channels_last' ? 0 : 1);
      return inputSizes.map((length, i) => (i === sliced ? shift(spec.start, length) : identity));
    }
    case 'ZeroPadShortcut': {
      const strides = [spec.strides].flat();
      return inputSizes.map((_, i) => (o: number) => [o * ((strides[i] ?? strides[0]) as number)]);
    }
    case 'Activation':
    case 'Dropout':
    case 'BatchNormalization':
    case 'Rescaling':
    case 'Normalization':
    case 'PReLU':
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
      return sameSizes(layer, inputSizes, format) ? inputSizes.map(() => identity) : 'global';
    case 'Concatenate':
    case 'Dense':
      return layer.receptiveField && sameSizes(layer, inputSizes, format) ? inputSizes.map(() => identity) : 'global';
    case 'TimeDistributed':
      return (spec.layer.type === 'Dense' || spec.layer.type === 'Activation' || spec.layer.type === 'Dropout') &&
        sameSizes(layer, inputSizes, format)
        ? inputSizes.map(() => identity)
        : 'global';
    case 'ResNetBasicBlock':
    case 'ResNetBottleneckBlock':
    case 'NestedModel':
      return 'children';
    case 'Permute':
    case 'Reshape':
    case 'Flatten':
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling3D':
    case 'Input':
    case 'LayerNormalization':
    case 'Embedding':
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
    case 'Bidirectional':
    case 'MultiHeadAttention':
    case 'TensorFlowOp':
    case 'Lambda':
      // Normalisation over chosen axes, look-ups and recurrences: positions mix (or change rank).
      return 'global';
  }
}

/** Padding (or cropping) before the first position along axis i, from the layer's spec. */
function offsetOf(layer: LayerResult, axis: number): number | undefined {
  const spec = layer.spec as Extract<LayerSpec, { type: `${'ZeroPadding' | 'Cropping'}${'1D' | '2D' | '3D'}` }>;
  const value = 'padding' in spec ? spec.padding : spec.cropping;
  if (typeof value === 'number') return value;
  const rank = (layer.output?.length ?? 2) - 1;
  if (rank === 1) return value[0] as number;
  const entry = value[axis];
  return typeof entry === 'number' ? entry : entry?.[0];
}

function sameSizes(layer: LayerResult, inputSizes: readonly number[], format: DataFormat): boolean {
  const out = spatialSizes(layer, format);
  return !!out && out.length === inputSizes.length && out.every((d, i) => d === inputSizes[i]);
}

/** Inside a block: the same backward pass over its layers, from its last layer to its input. */
function block(layer: LayerResult, grid: Grid, into: Grid, format: DataFormat): boolean {
  const children = layer.children ?? [];
  const last = children[children.length - 1];
  if (!last) return false;
  const inputResult: LayerResult = {
    ...last,
    name: 'input',
    inputs: [],
    output: layer.inputShapes[0] ?? null,
    children: undefined,
  } as unknown as LayerResult;
  const grids = backward([inputResult, ...children], last.name, grid, format);
  const reached = grids?.get('input');
  if (!reached || reached.counts.length !== into.counts.length) return false;
  for (let i = 0; i < into.counts.length; i++)
    into.counts[i] = (into.counts[i] as number) + (reached.counts[i] as number);
  return true;
}
