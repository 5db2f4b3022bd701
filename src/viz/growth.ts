import {
  axisLeft,
  line,
  pointer,
  range,
  scaleLinear,
  scaleLog,
  scalePoint,
  select,
  type Axis,
  type NumberValue,
  type ScaleContinuousNumeric,
  type Selection,
} from 'd3';
import { readout, stepPoint, type GrowthPoint, type GrowthSeries } from './growth-data';
import { countOf } from '../engine/text/plural';

type G = Selection<SVGGElement, unknown, null, undefined>;
type Scale = (v: number) => number;
type ValueKey = 'size' | 'jump';

const LEFT = 64;
const RIGHT = 20;
const SIZE_HEIGHT = 190;
const GAP = 34;
const JUMP_HEIGHT = 100;

export interface GrowthOptions {
  readonly onSelect: (name: string) => void;
}

export interface GrowthData {
  readonly series: GrowthSeries;
  readonly selected: string | null;
  /** Field sizes on a log scale (jumps always are: they are products of strides). */
  readonly logSize: boolean;
  /** The picture in words, for screen readers and the exported file. */
  readonly description: string;
  /** Lecture mode: larger type (a narrower drawing, scaled up to the same width). */
  readonly large: boolean;
}

export interface GrowthView {
  update(data: GrowthData): void;
  destroy(): void;
}

/** Rotated labels need this much room between points (px); closer ones are thinned. */
const LABEL_PITCH = 17;
const MAX_LABEL = 16;

/**
 * Receptive field growth: two panels sharing the layers as x axis, the field size per layer
 * (with the input's size as a dotted line) above and the jump below (log₂ scale), one line per
 * group of axes that agree. Clicking a point (or near it) or pressing ← → Home End on the
 * focused chart selects a layer.
 */
export function createGrowth(container: HTMLElement, options: GrowthOptions): GrowthView {
  const svg = select(container)
    .append('svg')
    .attr('class', 'figure growth-chart')
    .attr('role', 'img')
    .attr('tabindex', 0)
    .attr('xmlns', 'http://www.w3.org/2000/svg');
  const title = svg.append('title');
  const text = svg.append('text').attr('class', 'readout').attr('x', LEFT).attr('y', 20);
  const legend = svg.append('g').attr('class', 'legend');
  const note = svg.append('text').attr('class', 'note').attr('x', LEFT).attr('y', 66);
  const overlay = svg.append('rect').attr('class', 'overlay');
  const cursor = svg.append('line').attr('class', 'cursor');
  const size = svg.append('g').attr('class', 'panel size');
  const jump = svg.append('g').attr('class', 'panel jump');
  const labels = svg.append('g').attr('class', 'x-labels');
  let current: GrowthData | null = null;
  let x: Scale = () => 0;
  let pitch = 1;
  let drawn: (Panels & Frame & { series: GrowthSeries; logSize: boolean; large: boolean }) | null = null;

  svg.on('keydown', (e: KeyboardEvent) => {
    const delta = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key];
    if (delta === undefined || !current) return;
    e.preventDefault();
    // In lecture mode the window's arrows would step through all layers as well.
    e.stopPropagation();
    const next = stepPoint(current.series, current.selected, delta);
    if (next) options.onSelect(next);
  });
  overlay.on('click', (e: MouseEvent) => {
    const points = current?.series.points ?? [];
    const i = Math.round((pointer(e, svg.node())[0] - x(0)) / pitch);
    const p = points[Math.max(0, Math.min(points.length - 1, i))];
    if (p) options.onSelect(p.name);
  });

  return {
    update(data) {
      current = data;
      const { series } = data;
      const n = series.points.length;
      // The series (thousands of elements for a long model) changes with the model, not with the
      // selection: redraw it only when the series or the scale changed.
      if (drawn?.series !== series || drawn.logSize !== data.logSize || drawn.large !== data.large) {
        const top = series.endsAt || series.otherInputs ? 82 : 62;
        const frame: Frame = {
          size,
          jump,
          top,
          bottom: top + SIZE_HEIGHT + GAP + JUMP_HEIGHT,
          width: data.large ? 560 : 800,
          char: data.large ? 9.4 : 7,
        };
        const scale = scalePoint<number>()
          .domain(range(n))
          .range([LEFT, frame.width - RIGHT])
          .padding(0.5);
        x = (i) => scale(i) ?? 0;
        pitch = scale.step() || 1;
        drawn = { ...drawPanels(frame, series, data.logSize, x, options.onSelect), ...frame, ...data };
        drawLegend(legend, series, frame.char);
        note.text(noteText(series));
        overlay
          .attr('x', LEFT)
          .attr('y', top)
          .attr('width', frame.width - LEFT - RIGHT)
          .attr('height', frame.bottom - top);
        cursor.attr('y1', top).attr('y2', frame.bottom);
        const height = frame.bottom + labelRoom(series, frame);
        svg
          .classed('large', data.large)
          .attr('viewBox', `0 0 ${frame.width} ${height}`)
          .attr('width', frame.width)
          .attr('height', height)
          .attr('data-points', n);
      }
      const at = series.points.findIndex((p) => p.name === data.selected);
      drawLabels(labels, series, x, drawn, at);
      drawMarkers(size, series, series.points[at], x(at), drawn.sizeY, 'size');
      drawMarkers(jump, series, series.points[at], x(at), drawn.jumpY, 'jump');
      cursor
        .attr('x1', x(at))
        .attr('x2', x(at))
        .attr('visibility', at < 0 ? 'hidden' : 'visible');
      text.text(selectedText(series, data.selected));
      title.text(data.description);
      svg.attr('aria-label', data.description);
    },
    destroy() {
      svg.remove();
    },
  };
}

function selectedText(series: GrowthSeries, selected: string | null): string {
  if (selected === null) return 'Click a point, or focus the chart and press ← →, to pick a layer.';
  return readout(series, selected) ?? `${selected}: no receptive field (its outputs have no spatial positions).`;
}

function noteText(series: GrowthSeries): string {
  const parts: string[] = [];
  if (series.endsAt) {
    parts.push(`No field after ${series.endsAt.name} (${series.endsAt.type}).`);
  }
  if (series.otherInputs) parts.push(`${countOf(series.otherInputs, 'layer')} on another input not drawn.`);
  return parts.join(' ');
}

/** The selected layer's point on each line, drawn large over the series. */
function drawMarkers(g: G, series: GrowthSeries, point: GrowthPoint | undefined, cx: number, y: Scale, key: ValueKey) {
  const marks = point ? series.lines.map((l, i) => ({ i, v: point[key][l.axes[0]!]! })) : [];
  g.selectAll<SVGCircleElement, (typeof marks)[number]>('circle.marker')
    .data(marks)
    .join('circle')
    .attr('class', (d) => `marker line-${d.i}`)
    .attr('cx', cx)
    .attr('cy', (d) => y(d.v))
    .attr('r', 6)
    // Above the points, which a redrawn series may have appended after it.
    .raise();
}

/** Room between neighbouring points, in drawing units. */
function pitchOf(n: number, frame: Frame): number {
  return (frame.width - LEFT - RIGHT) / Math.max(n, 1);
}

function rotated(n: number, frame: Frame): boolean {
  return pitchOf(n, frame) < 10 * frame.char;
}

function labelRoom(series: GrowthSeries, frame: Frame): number {
  const longest = Math.min(MAX_LABEL, Math.max(0, ...series.points.map((p) => p.name.length)));
  return rotated(series.points.length, frame) ? longest * frame.char * 0.72 + 26 : 30;
}

function drawLegend(g: G, series: GrowthSeries, char: number) {
  const one = series.lines.length === 1 && series.axes.length > 1;
  const items = [
    ...series.lines.map((l, i) => ({ cls: `series line-${i}`, label: one ? `${l.label} (equal: one line)` : l.label })),
    ...(series.inputSize.some((v) => v !== null) ? [{ cls: 'input', label: 'input size' }] : []),
  ];
  let at = LEFT;
  const laid = items.map((item) => {
    const x = at;
    at += 32 + item.label.length * char + 22;
    return { ...item, x };
  });
  const groups = g
    .selectAll<SVGGElement, (typeof laid)[number]>('g.item')
    .data(laid)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'item');
      e.append('line');
      e.append('text');
      return e;
    })
    .attr('transform', (d) => `translate(${d.x},44)`);
  groups
    .select('line')
    .attr('class', (d) => d.cls)
    .attr('x1', 0)
    .attr('x2', 26)
    .attr('y1', -4)
    .attr('y2', -4);
  groups
    .select('text')
    .attr('x', 32)
    .text((d) => d.label);
}

/** Layer names under the points: rotated when crowded, thinned to one every few when more so. */
function drawLabels(g: G, series: GrowthSeries, x: Scale, frame: Frame, at: number) {
  const { points } = series;
  const { bottom } = frame;
  const turn = rotated(points.length, frame);
  const every = Math.max(1, Math.ceil((LABEL_PITCH * frame.char) / 7 / pitchOf(points.length, frame)));
  // Thinned labels near the selected one give way to it.
  const shown = points
    .map((p, i) => ({ p, i }))
    .filter(({ i }) => i === at || (i % every === 0 && (at < 0 || Math.abs(i - at) >= every)));
  const short = (name: string) => (name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name);
  g.selectAll<SVGTextElement, (typeof shown)[number]>('text')
    .data(shown, (d) => d.p.name)
    .join('text')
    .classed('selected', (d) => d.i === at)
    .attr('text-anchor', turn ? 'end' : 'middle')
    .attr('transform', (d) =>
      turn ? `translate(${x(d.i) + 4},${bottom + 13}) rotate(-45)` : `translate(${x(d.i)},${bottom + 20})`,
    )
    .text((d) => short(d.p.name));
}

/** Where the panels go, in drawing units; `char` is the width of a character of label type. */
interface Frame {
  readonly size: G;
  readonly jump: G;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
  readonly char: number;
}

interface Panels {
  readonly sizeY: Scale;
  readonly jumpY: Scale;
}

/** Both panels: axes, input lines, one path and its points per line. */
function drawPanels(
  frame: Frame,
  series: GrowthSeries,
  logSize: boolean,
  x: Scale,
  onSelect: (name: string) => void,
): Panels {
  const sizes = series.points.flatMap((p) => p.size);
  const jumps = series.points.flatMap((p) => p.jump);
  const inputs = series.inputSize.filter((v): v is number => v !== null);
  const sizeMax = Math.max(1, ...sizes, ...inputs);
  const sizeRange = [frame.top + SIZE_HEIGHT, frame.top];
  const sizeY = logSize
    ? scaleLog()
        .domain([Math.min(1, ...sizes), sizeMax * 1.15])
        .range(sizeRange)
    : scaleLinear()
        .domain([0, sizeMax * 1.05])
        .range(sizeRange)
        .nice();
  // Jumps are products of strides: powers of two read evenly on a log₂ scale.
  const jumpY = scaleLog()
    .base(2)
    .domain([Math.min(1, ...jumps), Math.max(2, ...jumps)])
    .range([frame.bottom, frame.bottom - JUMP_HEIGHT]);
  const jumpTicks = jumpY.ticks().filter((t) => Number.isInteger(Math.log2(t)));
  const sizeAxis = axisLeft(sizeY).ticks(5, logSize ? '~s' : undefined);
  const jumpAxis = axisLeft(jumpY).tickValues(jumpTicks).tickFormat(String);
  panel(frame.size, 'size', { series, x, y: sizeY, axis: sizeAxis, frame }, onSelect);
  panel(frame.jump, 'jump', { series, x, y: jumpY, axis: jumpAxis, frame }, onSelect);
  yTitle(frame.size, 'field size', frame.top + SIZE_HEIGHT / 2);
  yTitle(frame.jump, 'jump', frame.bottom - JUMP_HEIGHT / 2);
  inputLines(frame, series, sizeY);
  return { sizeY, jumpY };
}

interface PanelScales {
  readonly series: GrowthSeries;
  readonly x: Scale;
  readonly y: ScaleContinuousNumeric<number, number>;
  readonly axis: Axis<NumberValue>;
  readonly frame: Frame;
}

function panel(g: G, key: ValueKey, { series, x, y, axis, frame }: PanelScales, onSelect: (name: string) => void) {
  const { points, lines } = series;
  g.selectAll<SVGGElement, null>('g.axis')
    .data([null])
    .join('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${LEFT - 6},0)`)
    .call(axis);
  const floor = y.range()[0]!;
  g.selectAll('line.baseline')
    .data([floor])
    .join('line')
    .attr('class', 'baseline')
    .attr('x1', LEFT)
    .attr('x2', frame.width - RIGHT)
    .attr('y1', (d) => d)
    .attr('y2', (d) => d);
  const path = (axis: number) =>
    line<GrowthPoint>()
      .x((_, i) => x(i))
      .y((p) => y(p[key][axis]!))(points as GrowthPoint[]);
  g.selectAll('path.series')
    .data(lines)
    .join('path')
    .attr('class', (_, i) => `series line-${i}`)
    .attr('d', (l) => path(l.axes[0]!));
  // Crowded points (hundreds of layers) are left to the line; a click picks the nearest layer.
  const pitch = pitchOf(points.length, frame);
  const dots = pitch < 5 ? [] : lines.flatMap((l, li) => points.map((p, i) => ({ p, i, li, v: p[key][l.axes[0]!]! })));
  g.selectAll<SVGCircleElement, (typeof dots)[number]>('circle.point')
    .data(dots, (d) => `${d.li}:${d.p.name}`)
    .join((enter) => enter.append('circle').call((c) => c.append('title')))
    .attr('class', (d) => `point line-${d.li}`)
    .attr('data-layer', (d) => d.p.name)
    .attr('cx', (d) => x(d.i))
    .attr('cy', (d) => y(d.v))
    .attr('r', Math.min(4.5, pitch * 0.3))
    .on('click', (_, d) => onSelect(d.p.name))
    .select('title')
    .text((d) => readout(series, d.p.name) ?? d.p.name);
}

function yTitle(g: G, label: string, y: number) {
  g.selectAll('text.y-title')
    .data([label])
    .join('text')
    .attr('class', 'y-title')
    .attr('transform', `translate(14,${y}) rotate(-90)`)
    .text((d) => d);
}

/** The input's size, one line per distinct value: where the field becomes wider than the input. */
function inputLines(frame: Frame, series: GrowthSeries, y: Scale) {
  const distinct = [...new Set(series.inputSize.filter((v): v is number => v !== null))];
  const named = distinct.map((v) => {
    const axes = series.axes.filter((_, i) => series.inputSize[i] === v);
    return { v, label: `input${distinct.length > 1 ? ` ${axes.join(' = ')}` : ''}: ${v}` };
  });
  const groups = frame.size
    .selectAll<SVGGElement, (typeof named)[number]>('g.input-line')
    .data(named)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'input-line');
      e.append('line');
      e.append('text');
      return e;
    });
  groups
    .select('line')
    .attr('x1', LEFT)
    .attr('x2', frame.width - RIGHT)
    .attr('y1', (d) => y(d.v))
    .attr('y2', (d) => y(d.v));
  groups
    .select('text')
    .attr('x', frame.width - RIGHT - 4)
    .attr('y', (d) => y(d.v) - 5)
    .text((d) => d.label);
}
