import type { Analysis } from '../engine/analysis/result';
import { axisNames } from '../engine/shape/format';
import { splitChannels } from '../engine/shape/shape';

/** One layer's receptive field along every spatial axis of the model input it is measured on. */
export interface GrowthPoint {
  readonly name: string;
  readonly type: string;
  /** Field size per axis, in input positions. */
  readonly size: readonly number[];
  /** Jump (effective stride) per axis: input positions between neighbouring outputs' fields. */
  readonly jump: readonly number[];
}

/** Axes drawn as one line: their sizes and jumps agree at every point. */
export interface GrowthLine {
  readonly axes: readonly number[];
  /** "height", or "height = width" when several axes share the line. */
  readonly label: string;
}

/** The receptive field of every layer that has one, as series across the network. */
export interface GrowthSeries {
  /** The model input the fields are measured on; `null` when no layer has a field. */
  readonly input: string | null;
  /** Names of the spatial axes: "length"; "height", "width"; … */
  readonly axes: readonly string[];
  /** The input's size along each axis, `null` where the model accepts any size. */
  readonly inputSize: readonly (number | null)[];
  /** In model order: top-level layers only (a ResNet block is one point, with its own field). */
  readonly points: readonly GrowthPoint[];
  readonly lines: readonly GrowthLine[];
  /** The first of the layers after the last point that have no field (Flatten, Dense, global pooling). */
  readonly endsAt: { readonly name: string; readonly type: string } | null;
  /** Layers with a field measured on another model input (not drawn). */
  readonly otherInputs: number;
}

/**
 * The growth of the receptive field through a model: for each top-level layer whose output
 * still has spatial positions, its field's size and jump per axis (Araujo et al. 2019:
 * r_out = r_in + (k − 1)·j_in, j_out = j_in·s, computed by the engine). Fields are measured on
 * the model input the first field belongs to.
 */
export function growthOf(analysis: Analysis): GrowthSeries {
  const first = analysis.layers.find((l) => l.receptiveField && l.receptiveField.axes.length > 0);
  const input = first?.receptiveField?.input ?? null;
  const rank = first?.receptiveField?.axes.length ?? 0;
  const points: GrowthPoint[] = [];
  let otherInputs = 0;
  let last = -1;
  analysis.layers.forEach((layer, i) => {
    const field = layer.receptiveField;
    if (!field || field.axes.length === 0) return;
    if (field.input !== input || field.axes.length !== rank) {
      otherInputs++;
      return;
    }
    points.push({
      name: layer.name,
      type: layer.type,
      size: field.axes.map((a) => a.size),
      jump: field.axes.map((a) => a.jump),
    });
    last = i;
  });
  const after = last >= 0 ? analysis.layers[last + 1] : undefined;
  return {
    input,
    axes: axisNames(rank),
    inputSize: inputSizeOf(analysis, input, rank),
    points,
    lines: linesOf(points, axisNames(rank)),
    endsAt: after ? { name: after.name, type: after.type } : null,
    otherInputs,
  };
}

function inputSizeOf(analysis: Analysis, input: string | null, rank: number): (number | null)[] {
  const shape = analysis.layers.find((l) => l.name === input)?.output;
  const spatial = shape ? splitChannels(shape, analysis.model.dataFormat).spatial : [];
  return Array.from({ length: rank }, (_, i) => spatial[i] ?? null);
}

/** Groups the axes whose sizes and jumps are equal at every point: one line each. */
function linesOf(points: readonly GrowthPoint[], names: readonly string[]): GrowthLine[] {
  const groups: number[][] = [];
  names.forEach((_, axis) => {
    const same = groups.find((g) =>
      points.every((p) => p.size[g[0]!] === p.size[axis] && p.jump[g[0]!] === p.jump[axis]),
    );
    if (same) same.push(axis);
    else groups.push([axis]);
  });
  return groups.map((axes) => ({ axes, label: axes.map((a) => names[a]).join(' = ') }));
}

/**
 * The layer `delta` points away from `selected` along the series (clamped at the ends). From a
 * layer that is not a point, → goes to the first point and ← to the last.
 */
export function stepPoint(series: GrowthSeries, selected: string | null, delta: number): string | null {
  const { points } = series;
  if (points.length === 0) return null;
  const at = points.findIndex((p) => p.name === selected);
  const next = at < 0 ? (delta > 0 ? 0 : points.length - 1) : Math.max(0, Math.min(points.length - 1, at + delta));
  return points[next]!.name;
}

/** 7, or 0.5 for the fractional jumps of upsampling; several axes "7×5". */
function dims(values: readonly (number | null)[]): string {
  const text = values.map((v) => (v === null ? 'any' : String(Number(v.toFixed(3)))));
  return text.join('×');
}

/** "conv3: field 7×7, jump 1, input 28×28" (and "— wider than the input" once it is). */
export function readout(series: GrowthSeries, name: string): string | null {
  const point = series.points.find((p) => p.name === name);
  if (!point) return null;
  const jumps = point.jump.every((j) => j === point.jump[0]) ? [point.jump[0]!] : point.jump;
  const input = series.inputSize.every((v) => v === null) ? 'of any size' : dims(series.inputSize);
  return (
    `${name}: field ${dims(point.size)}, jump ${dims(jumps)}, input ${input}` +
    (widerThanInput(series, point) ? ' — wider than the input' : '')
  );
}

/** True when the field is larger than the (fixed-size) input along some axis. */
export function widerThanInput(series: GrowthSeries, point: GrowthPoint): boolean {
  return point.size.some((s, i) => {
    const n = series.inputSize[i];
    return n !== null && n !== undefined && s > n;
  });
}

/** What input positions are called along the axes: pixels for images, steps for sequences. */
export function unitOf(series: GrowthSeries): string {
  return series.axes.length === 1 ? 'steps' : 'pixels';
}

/** The picture in one or two sentences, for screen readers and the exported file's title. */
export function describeGrowth(series: GrowthSeries, model: string): string {
  const { points } = series;
  const last = points[points.length - 1];
  if (!last) return `${model} has no layer with a receptive field.`;
  const max = (key: 'size' | 'jump') => Math.max(...points.flatMap((p) => p[key]));
  const wider = points.find((p) => widerThanInput(series, p));
  const input = series.inputSize.every((v) => v === null) ? 'any size' : dims(series.inputSize);
  return (
    `Receptive field growth of ${model} over ${points.length} layers, from ${points[0]!.name} to ${last.name}: ` +
    `the field grows to ${max('size')} ${unitOf(series)} and the jump to ${max('jump')}; the input is ${input}.` +
    (wider ? ` The field is first wider than the input at ${wider.name}.` : '') +
    (series.endsAt ? ` From ${series.endsAt.name} (${series.endsAt.type}) on, outputs have no spatial positions.` : '')
  );
}
