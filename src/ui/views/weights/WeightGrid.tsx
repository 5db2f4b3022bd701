import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type Ref,
} from 'react';
import type { Notation } from '../../../engine/notation';
import { formatCount } from '../../../engine/shape/format';
import { useAppStore } from '../../../state/store';
import {
  depthOf,
  drawWeightGrid,
  gridLayout,
  gridView,
  kernelAt,
  kernelBox,
  kernelReadout,
  kernelText,
  drawStyle,
  sentenceText,
  summaryNote,
  weightSentence,
  type GridLayout,
  type GridView,
  type WeightPart,
} from '../../../viz/weight-grid';
import { BlockMiniature, ColourLegend, Ticks } from './grid-parts';

/** The highlighted kernel; `key` is the part it belongs to (a new part starts at the corner). */
export interface Position {
  readonly key: string;
  readonly r: number;
  readonly c: number;
}

interface Props {
  readonly part: WeightPart;
  readonly name: string;
  readonly notation: Notation;
  readonly position: Position;
  readonly onMove: (p: Position) => void;
}

/** Left margin (filter axis), and the band above the grid: legend, miniature, channel axis. */
const LEFT = 56;
const band = (v: GridView) => (v.summarised ? 96 : 48);
const AXIS = 36;
/** Type and margins grow by this in lecture mode (the grid already fills the width). */
const LECTURE_TYPE = 1.5;

/** The sentence, the grid drawn on a canvas inside the figure's svg, and the kernel read-out. */
export function WeightGrid({ part, name, notation, position, onMove }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const marker = useRef<SVGRectElement>(null);
  const follow = useRef(false);
  const [available, setAvailable] = useState(640);
  const theme = useAppStore((s) => s.theme);
  const z = useAppStore((s) => s.lecture) ? LECTURE_TYPE : 1;
  const left = LEFT * z;
  const view = useMemo(() => gridView(part), [part]);
  const layout = useMemo(() => gridLayout(view, Math.max(available - left - 8, 120)), [view, available, left]);
  const sentence = weightSentence(part, notation);
  const note = summaryNote(part, view);
  const top = (band(view) + AXIS) * z;
  const width = left + Math.max(layout.width, (view.summarised ? 340 : 240) * z) + 4;
  const height = top + layout.height + 4;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setAvailable(el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const started = performance.now();
    const style = getComputedStyle(el);
    const scale = Math.max(1, Math.round(window.devicePixelRatio || 1));
    drawWeightGrid(el, part, view, layout, drawStyle(style.color, style.backgroundColor, scale));
    if (svg.current) svg.current.dataset['drawMs'] = (performance.now() - started).toFixed(1);
  }, [part, view, layout, theme]);

  useEffect(() => {
    if (!follow.current) return;
    follow.current = false;
    marker.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [position]);

  const r = Math.min(position.r, view.rows - 1);
  const c = Math.min(position.c, view.cols - 1);
  const move = (nr: number, nc: number) => {
    follow.current = true;
    onMove({ key: part.seed, r: clamp(nr, view.rows), c: clamp(nc, view.cols) });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const next: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      PageUp: [r - 8, c],
      PageDown: [r + 8, c],
      Home: [r, 0],
      End: [r, view.cols - 1],
    };
    const to = next[e.key];
    if (!to || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation();
    move(to[0], to[1]);
  };
  const pointAt = (e: PointerEvent) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box || box.width === 0) return null;
    const k = width / box.width;
    return kernelAt(layout, view, (e.clientX - box.left) * k - left, (e.clientY - box.top) * k - top);
  };
  const onPointer = (e: PointerEvent) => {
    const hit = pointAt(e);
    if (hit && (hit.r !== r || hit.c !== c)) onMove({ key: part.seed, ...hit });
  };
  const [kh, kw] = kernelBox(view.kernel);
  const label =
    `Weight tensor of ${name}: ${sentenceText(sentence)} Drawn as ${formatCount(view.rows)} rows (filters) by ` +
    `${formatCount(view.cols)} columns (input channels) holding ${formatCount(view.kernelsDrawn)} kernels, ` +
    `coloured blue (negative) to red (positive).${note ? ` ${note}` : ''}`;
  const of = (shown: number, total: number) =>
    `1…${formatCount(shown)}${shown < total ? ` of ${formatCount(total)}` : ''}`;
  return (
    <div className="weights-view">
      <p className="weights-sentence">
        <strong className="weights-headline">{sentence.headline}:</strong>{' '}
        <span className="weights-tensors">{sentence.tensors}</span> — {sentence.role}.
        {sentence.bias && <> Plus {sentence.bias}.</>}{' '}
        <span className="muted">{formatCount(sentence.params)} parameters.</span>
      </p>
      {note && (
        <p className="weights-note" role="note">
          {note}
        </p>
      )}
      <div
        className="weights-scroll"
        ref={scroller}
        tabIndex={0}
        role="group"
        aria-label={`Weight grid of ${name}: arrow keys move between kernels`}
        aria-describedby="weights-readout"
        onKeyDown={onKeyDown}
      >
        <svg
          ref={svg}
          className="figure weights-figure"
          viewBox={`0 0 ${width} ${height}`}
          style={{ maxWidth: `${width}px`, fontSize: `${16 * z}px` }}
          role="img"
          aria-label={label}
          data-layer={name}
          data-part={part.kind}
          data-filters={part.filters}
          data-depth={depthOf(part)}
          data-kernel={kernelText(part.kernel)}
          data-kernels-drawn={view.kernelsDrawn}
          data-summarised={String(view.summarised)}
          onPointerMove={onPointer}
          onPointerDown={onPointer}
        >
          <title>{label}</title>
          <ColourLegend x={left} scale={z} part={part} />
          {view.summarised && <BlockMiniature x={left + 220 * z} scale={z} part={part} view={view} />}
          <text className="weights-axis" x={left} y={(band(view) + 12) * z}>
            input channels {of(view.cols, part.channels)} →
          </text>
          <text className="weights-axis" transform={`translate(${14 * z} ${top}) rotate(90)`}>
            filters (out) {of(view.rows, part.filters)} →
          </text>
          <Ticks layout={layout} view={view} left={left} top={top} scale={z} active={{ r, c }} />
          <foreignObject x={left} y={top} width={layout.width} height={layout.height}>
            <canvas
              ref={canvas}
              className="weights-canvas"
              style={{ width: `${layout.width}px`, height: `${layout.height}px` }}
            />
          </foreignObject>
          <Marker
            ref={marker}
            layout={layout}
            x={left + c * layout.pitchX}
            y={top + r * layout.pitchY}
            kh={kh}
            kw={kw}
          />
        </svg>
      </div>
      <p id="weights-readout" className="weights-readout" aria-live="polite">
        {kernelReadout(part, r, c)}
      </p>
    </div>
  );
}

const clamp = (i: number, n: number) => Math.max(0, Math.min(n - 1, i));

interface MarkerProps {
  readonly ref: Ref<SVGRectElement>;
  readonly layout: GridLayout;
  readonly x: number;
  readonly y: number;
  readonly kh: number;
  readonly kw: number;
}

/** The highlighted kernel: a dark line inside a light one, visible on every colour. */
function Marker({ ref, layout, x, y, kh, kw }: MarkerProps) {
  const w = kw * layout.cell;
  const h = kh * layout.cell;
  return (
    <g className="weights-marker" aria-hidden="true">
      <rect x={x - 2} y={y - 2} width={w + 4} height={h + 4} className="outer" />
      <rect ref={ref} x={x - 1} y={y - 1} width={w + 2} height={h + 2} className="inner" />
    </g>
  );
}
