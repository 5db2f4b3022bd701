import type { LayerResult } from '../../../engine/analysis/result';
import type { AxisGeometry } from '../../../engine/layers/kind';
import type { LayerSpec } from '../../../engine/layers/registry';
import { dilatedKernel } from '../../../engine/shape/conv-arithmetic';
import { splitChannels, type DataFormat } from '../../../engine/shape/shape';
import { exampleInput, exampleWeight, numberText, slideOf, type Slide } from '../../../viz/conv-frames';

export type WindowKind = 'conv' | 'depthwise' | 'max' | 'average' | 'transposed';

/** What the animation shows for one layer: its slide, its kind and the worked example. */
export interface WindowModel {
  readonly kind: WindowKind;
  readonly slide: Slide;
  readonly channels: number;
  /** Transposed convolutions are drawn as a stride-1 convolution over the input with s − 1 zeros inserted between cells (Dumoulin & Visin 2016, §4). */
  readonly inserted: readonly number[];
  /** What a padding cell holds: a zero that counts, or nothing (max pooling, TF 'same' average pooling). */
  readonly padding: '0' | '';
  /** A cell of the padded input: its value in the example, or null for padding. */
  value(channel: number, padded: readonly number[]): number | null;
  /** The example's result at frame n, and the terms that give it (first channel). */
  compute(n: number): { value: number; terms: string[]; rest: number | null };
  /** The example's result at frame n (remembered: the output grid redraws every frame). */
  result(n: number): number;
}

export function windowModel(layer: LayerResult, format: DataFormat): WindowModel | null {
  const spec = layer.spec as LayerSpec | null;
  const input = layer.inputShapes[0];
  if (!spec || !input || !layer.geometry) return null;
  const channels = (splitChannels(input, format).channels ?? 1) as number;
  const kind = kindOf(spec);
  if (!kind) return null;
  const geometry = kind === 'transposed' ? asConvolution(layer.geometry, spec) : layer.geometry;
  const slide = geometry && slideOf(geometry, 'ceilMode' in spec && spec.ceilMode === true);
  if (!slide) return null;
  const inserted = kind === 'transposed' ? layer.geometry.map((g) => g.stride) : layer.geometry.map(() => 1);
  const value = (channel: number, padded: readonly number[]) => {
    const real = padded.map((p, i) => p - (slide.before[i] as number));
    if (real.some((r, i) => r < 0 || r >= (slide.inputSizes[i] as number))) return null;
    if (real.some((r, i) => r % (inserted[i] as number) !== 0)) return null;
    return exampleInput(
      channel,
      real.map((r, i) => r / (inserted[i] as number)),
    );
  };
  const depth = kind === 'conv' || kind === 'transposed' ? Math.min(channels, 64) : 1;
  const compute = (n: number) => {
    const taps = slide.taps(n);
    const tapCells = product(taps);
    const dims = taps.map((t) => t.length);
    const terms: string[] = [];
    const values: number[] = [];
    let total = 0;
    let rest = 0;
    for (let c = 0; c < depth; c++) {
      tapCells.forEach((cell, flatIndex) => {
        const x = value(c, cell);
        const tap = unflat(flatIndex, dims);
        if (kind === 'max' || kind === 'average') {
          if (x !== null && c === 0) values.push(x);
          return;
        }
        const w = exampleWeight(c, tap);
        const term = (x ?? 0) * w;
        total += term;
        if (c === 0) terms.push(`${numberText(w)}·${numberText(x ?? 0, true)}`);
        else rest += term;
      });
    }
    if (kind === 'max')
      return { value: values.length ? Math.max(...values) : 0, terms: values.map((v) => numberText(v)), rest: null };
    if (kind === 'average') {
      const count = layerCountsPadding(spec) ? tapCells.length : values.length;
      return {
        value: round(values.reduce((a, b) => a + b, 0) / Math.max(count, 1)),
        terms: values.map((v) => numberText(v)),
        rest: null,
      };
    }
    return { value: total, terms, rest: depth > 1 ? rest : null };
  };
  const results = new Map<number, number>();
  const result = (n: number) => {
    let v = results.get(n);
    if (v === undefined) results.set(n, (v = compute(n).value));
    return v;
  };
  const padding = kind === 'max' || (kind === 'average' && !layerCountsPadding(spec)) ? '' : '0';
  return { kind, slide, channels, inserted, padding, value, compute, result };
}

function kindOf(spec: LayerSpec): WindowKind | null {
  switch (spec.type) {
    case 'Conv1D':
    case 'Conv2D':
    case 'SeparableConv2D':
      return 'conv';
    case 'DepthwiseConv2D':
      return 'depthwise';
    case 'MaxPooling1D':
    case 'MaxPooling2D':
      return 'max';
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return 'average';
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return 'transposed';
    default:
      return null;
  }
}

/** PyTorch's explicit average pooling counts padding zeros; TF's 'same' does not. */
function layerCountsPadding(spec: LayerSpec): boolean {
  return 'padding' in spec && typeof spec.padding !== 'string';
}

/** A transposed convolution as a convolution over the zero-inserted input (stride 1). */
function asConvolution(geometry: readonly AxisGeometry[], spec: LayerSpec): AxisGeometry[] | null {
  void spec;
  return geometry.map((g) => {
    const span = dilatedKernel(g.kernel, g.dilation);
    const [p0, p1] = g.padding ?? [0, 0];
    const input = g.input === null ? null : (g.input - 1) * g.stride + 1;
    const outputPadding =
      g.output === null || input === null ? 0 : g.output - ((g.input as number) - 1) * g.stride - span + p0 + p1;
    return {
      input,
      output: g.output,
      kernel: g.kernel,
      stride: 1,
      dilation: g.dilation,
      padding: [span - 1 - p0, span - 1 - p1 + outputPadding] as const,
    };
  });
}

function product(lists: readonly (readonly number[])[]): number[][] {
  return lists.reduce<number[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

function unflat(index: number, dims: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = dims.length - 1; i >= 0; i--) {
    out.unshift(index % (dims[i] as number));
    index = Math.floor(index / (dims[i] as number));
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
