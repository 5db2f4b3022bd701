import type { Analysis, LayerResult } from '../engine/analysis/result';
import type { LayerSpec } from '../engine/layers/registry';
import { writeFilter, writeShape, type Notation } from '../engine/notation';
import { splitChannels, type DataFormat } from '../engine/shape/shape';

/** One activation drawn as a box: height × width × channels (a vector is 1 × 1 × n). */
export interface Volume {
  readonly name: string;
  readonly type: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Its shape as the chosen notation writes it. */
  readonly label: string;
  /** The volume it reads (its first input, past layers left out of the picture). */
  readonly source: string | null;
  /** The kernel that made it, drawn inside the volume it reads: kH × kW × in, and how many. */
  readonly kernel: {
    readonly kh: number;
    readonly kw: number;
    readonly depth: number;
    readonly count: number;
    readonly label: string;
  } | null;
}

/** Layers that change nothing about shapes are left out of the picture, as textbooks do. */
const QUIET = new Set(['Activation', 'BatchNormalization', 'Dropout']);

/** The volumes of a model, in order, as textbooks draw VGG and ResNet. */
export function volumesOf(analysis: Analysis, notation: Notation): Volume[] {
  const format = analysis.model.dataFormat;
  const byName = new Map(analysis.layers.map((l) => [l.name, l]));
  const shown = (l: LayerResult) => !!l.output && !!l.spec && !QUIET.has(l.spec.type);
  /** Follows first inputs back through left-out layers to a drawn volume. */
  const sourceOf = (layer: LayerResult): string | null => {
    let current = byName.get(layer.inputs[0] ?? '');
    for (let steps = 0; current && !shown(current) && steps < 10_000; steps++)
      current = byName.get(current.inputs[0] ?? '');
    return current ? current.name : null;
  };
  return analysis.layers.filter(shown).map((l) => volumeOf(l, sourceOf(l), format, notation));
}

function volumeOf(layer: LayerResult, source: string | null, format: DataFormat, notation: Notation): Volume {
  const shape = layer.output ?? [];
  const map = shape.length >= 2 ? splitChannels(shape, format) : { spatial: [], channels: shape[0] ?? null };
  // A 3-D volume (depth × height × width) is drawn as one of its depth slices; the label says all.
  const [h = 1, w = 1] = map.spatial.length === 1 ? [map.spatial[0], 1] : map.spatial.slice(-2);
  return {
    name: layer.name,
    type: layer.type,
    height: h ?? 0,
    width: w ?? 0,
    channels: map.channels ?? 0,
    label: writeShape(shape, format, notation),
    source,
    kernel: kernelOf(layer.spec, layer, format, notation),
  };
}

function kernelOf(
  spec: LayerSpec | null,
  layer: LayerResult,
  format: DataFormat,
  notation: Notation,
): Volume['kernel'] {
  const input = layer.inputShapes[0];
  if (!spec || !input || !layer.geometry || layer.geometry.length === 0) return null;
  const [kh = 1, kw = 1] = layer.geometry.map((g) => g.kernel).slice(-2);
  const inChannels = splitChannels(input, format).channels ?? 0;
  const kernel = layer.geometry.map((g) => g.kernel);
  const sizes = kernel.join('×');
  switch (spec.type) {
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      const depth = inChannels / spec.groups;
      return { kh, kw, depth, count: spec.filters, label: `${spec.filters} × ${writeFilter(kernel, depth, notation)}` };
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return {
        kh,
        kw,
        depth: 1,
        count: inChannels * spec.depthMultiplier,
        label: `${inChannels * spec.depthMultiplier} × ${writeFilter(kernel, 1, notation)}`,
      };
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D':
      return { kh, kw, depth: 1, count: 0, label: `${sizes} pool` };
    default:
      return null;
  }
}
