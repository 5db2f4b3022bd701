import { useId } from 'react';
import {
  kernelBox,
  scaleColour,
  valueLimit,
  type GridLayout,
  type GridView,
  type WeightPart,
} from '../../../viz/weight-grid';
import { countOf } from '../../../engine/text/plural';

const magnitude = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(2));
const signed = (x: number) => (x < 0 ? `−${magnitude(-x)}` : `+${magnitude(x)}`);

/** The diverging scale: blue for negative weights, white for 0, red for positive. */
export function ColourLegend({
  x,
  scale,
  part,
}: {
  readonly x: number;
  readonly scale: number;
  readonly part: WeightPart;
}) {
  const id = `weights-scale-${useId().replace(/[^\w-]/g, '')}`;
  const limit = valueLimit(part);
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  return (
    <g className="weights-legend" transform={`translate(${x} 0) scale(${scale})`}>
      <defs>
        <linearGradient id={id}>
          {stops.map((t) => (
            <stop key={t} offset={t} stopColor={scaleColour(t)} />
          ))}
        </linearGradient>
      </defs>
      <text className="weights-tick" y={12}>
        {part.trained ? 'weight value in the file' : 'initial weight value'}
      </text>
      <rect y={17} width={160} height={10} fill={`url(#${id})`} className="weights-scale" />
      <text className="weights-tick" y={40}>
        {signed(-limit)}
      </text>
      <text className="weights-tick" x={80} y={40} textAnchor="middle">
        0
      </text>
      <text className="weights-tick" x={160} y={40} textAnchor="end">
        {signed(limit)}
      </text>
    </g>
  );
}

interface MiniatureProps {
  readonly x: number;
  readonly scale: number;
  readonly part: WeightPart;
  readonly view: GridView;
}

/** The whole filters × channels matrix in small: where kernels are, and the corner drawn. */
export function BlockMiniature({ x, scale, part, view }: MiniatureProps) {
  const s = 80 / Math.max(part.filters, part.channels);
  const w = Math.max(part.channels * s, 4);
  const h = Math.max(part.filters * s, 4);
  const shownW = Math.max(view.cols * s, 5);
  const shownH = Math.max(view.rows * s, 5);
  const blockW = w / part.groups;
  const blockH = h / part.groups;
  const blocks =
    part.groups === 1 ? (
      <rect width={w} height={h} className="filled" />
    ) : part.groups <= 64 ? (
      Array.from({ length: part.groups }, (_, g) => (
        <rect key={g} x={g * blockW} y={g * blockH} width={blockW} height={blockH} className="filled" />
      ))
    ) : (
      <line x2={w} y2={h} className="diagonal" strokeWidth={Math.max(1.5, blockW)} />
    );
  return (
    <g className="weights-mini" transform={`translate(${x} ${6 * scale}) scale(${scale})`}>
      <rect width={w} height={h} className="empty" />
      {blocks}
      <rect width={shownW} height={shownH} className="shown" />
      <polyline points={`${shownW},${shownH} ${w + 4},48 ${w + 6},48`} className="leader" />
      <text className="weights-tick" x={w + 8} y={10}>
        the whole tensor:
      </text>
      <text className="weights-tick" x={w + 8} y={24}>
        {countOf(part.filters, 'filter')} × {countOf(part.channels, 'channel')}
      </text>
      <text className="weights-tick" x={w + 8} y={38}>
        {part.groups > 1
          ? `kernels on the ${part.groups === part.channels ? 'diagonal' : 'diagonal blocks'}`
          : 'every position a kernel'}
      </text>
      <text className="weights-tick weights-shown-label" x={w + 8} y={52}>
        outlined: the corner drawn
      </text>
    </g>
  );
}

interface TicksProps {
  readonly layout: GridLayout;
  readonly view: GridView;
  readonly left: number;
  readonly top: number;
  /** Type size factor (lecture mode). */
  readonly scale: number;
  readonly active: { readonly r: number; readonly c: number };
}

/** 1, then every `step`-th index, far enough apart to read; `step` a power of two. */
function tickIndices(count: number, pitch: number, spacing: number, active: number): number[] {
  let step = 1;
  while (step * pitch < spacing) step *= 2;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const labelled = i === 0 || (i + 1) % step === 0;
    if (labelled && (i === active || Math.abs(i - active) * pitch >= spacing)) out.push(i);
  }
  return out.includes(active) ? out : [...out, active];
}

/** Numbers along both axes, the highlighted filter and channel in the accent colour. */
export function Ticks({ layout, view, left, top, scale, active }: TicksProps) {
  const [kh, kw] = kernelBox(view.kernel);
  const cx = (c: number) => left + c * layout.pitchX + (kw * layout.cell) / 2;
  const cy = (r: number) => top + r * layout.pitchY + (kh * layout.cell) / 2;
  return (
    <g aria-hidden="true">
      {tickIndices(view.cols, layout.pitchX, 26 * scale, active.c).map((c) => (
        <text
          key={`c${c}`}
          className={`weights-tick${c === active.c ? ' active' : ''}`}
          x={cx(c)}
          y={top - 6 * scale}
          textAnchor="middle"
        >
          {c + 1}
        </text>
      ))}
      {tickIndices(view.rows, layout.pitchY, 13 * scale, active.r).map((r) => (
        <text
          key={`r${r}`}
          className={`weights-tick${r === active.r ? ' active' : ''}`}
          x={left - 5 * scale}
          y={cy(r)}
          textAnchor="end"
          dominantBaseline="central"
        >
          {r + 1}
        </text>
      ))}
    </g>
  );
}
