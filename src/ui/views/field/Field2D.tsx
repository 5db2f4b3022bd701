import type { KeyboardEvent, MouseEvent } from 'react';
import { formatCount } from '../../../engine/shape/format';
import { heatColour, litCount, litExtent, maxCount } from '../../../viz/field-heat';
import type { SampleImage } from '../../../viz/samples';
import { HeatCanvas } from './HeatCanvas';
import type { FieldRow } from './rows';
import { countOf } from '../../../engine/text/plural';

const BIG = 320;
const CHOOSER = 220;
const MINI = 100;
const MAX_MINIS = 8;

interface Field2DProps {
  readonly rows: readonly FieldRow[];
  readonly position: readonly [number, number];
  readonly onPosition: (p: [number, number]) => void;
  readonly picture: SampleImage | null;
}

/**
 * The field of one output position laid over a real picture at the model input's size, the
 * output grid to choose the position on (click or arrow keys), and the same field at earlier
 * layers, small: every map coloured by the number of paths to each position.
 */
export function Field2D({ rows, position, onPosition, picture }: Field2DProps) {
  const input = rows[0] as FieldRow;
  const top = rows[rows.length - 1] as FieldRow;
  const [ih = 1, iw = 1] = input.grid.sizes;
  const [oh = 1, ow = 1] = top.grid.sizes;
  const inScale = BIG / Math.max(ih, iw);
  const outScale = CHOOSER / Math.max(oh, ow);
  const extent = litExtent(input.grid);
  const max = maxCount(input.grid);
  const minis = pickMinis(rows.slice(1, -1));
  const miniY = 40 + BIG + 54;
  const height = miniY + (minis.length ? MINI + 40 : 0) + 30;
  const [r, c] = position;
  const move = (e: KeyboardEvent) => {
    const delta = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!delta) return;
    e.preventDefault();
    e.stopPropagation();
    onPosition([clamp(r + (delta[0] as number), oh), clamp(c + (delta[1] as number), ow)]);
  };
  const click = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const row = Math.floor(((e.clientY - box.top) / box.height) * oh);
    const col = Math.floor(((e.clientX - box.left) / box.width) * ow);
    onPosition([clamp(row, oh), clamp(col, ow)]);
  };
  const fieldText = extent ? `${extent[0]![1] - extent[0]![0] + 1}×${extent[1]![1] - extent[1]![0] + 1}` : 'nothing';
  const ox = 16 + BIG + 60;
  return (
    <svg
      className="figure field-figure field-2d"
      viewBox={`0 0 ${Math.max(ox + CHOOSER + 150, 16 + minis.length * (MINI + 16))} ${height}`}
      role="group"
      aria-label={`Output (${r}, ${c}) of ${top.layer.name} reads a ${fieldText} region of ${input.layer.name} (${countOf(litCount(input.grid), 'position')}).`}
      data-lit={litCount(input.grid)}
      data-extent={fieldText}
    >
      <text className="panel-label" x={16} y={18}>
        {input.layer.name} {ih}×{iw}: output ({r}, {c}) reads {fieldText}
      </text>
      {picture && (
        <text className="legend" x={16} y={33}>
          {picture.label}
          {picture.width !== iw || picture.height !== ih ? `, resized to ${ih}×${iw}` : ''}
        </text>
      )}
      <HeatCanvas
        grid={input.grid}
        picture={picture}
        x={16}
        y={40}
        size={BIG}
        label={`Field over ${input.layer.name}`}
      />
      {extent && (
        <rect
          className="extent"
          x={16 + extent[1]![0] * inScale}
          y={40 + extent[0]![0] * inScale}
          width={(extent[1]![1] - extent[1]![0] + 1) * inScale}
          height={(extent[0]![1] - extent[0]![0] + 1) * inScale}
        />
      )}
      <text className="panel-label" x={ox} y={18}>
        {top.layer.name} {oh}×{ow}: choose an output
      </text>
      <foreignObject x={ox} y={40} width={ow * outScale} height={oh * outScale}>
        <div
          className="chooser-grid"
          tabIndex={0}
          role="slider"
          aria-label={`Output position of ${top.layer.name}: row ${r}, column ${c} (arrow keys move)`}
          aria-valuetext={`row ${r}, column ${c}`}
          aria-valuenow={r * ow + c}
          aria-valuemin={0}
          aria-valuemax={oh * ow - 1}
          onKeyDown={move}
          onClick={click}
          style={{
            backgroundSize: `${outScale}px ${outScale}px`,
          }}
        />
      </foreignObject>
      <rect className="chosen" x={ox + c * outScale} y={40 + r * outScale} width={outScale} height={outScale} />
      <text className="legend" x={ox} y={40 + oh * outScale + 22}>
        Paths to an input position: {max > 1 ? `1 to ${formatCount(max)}` : '1'}
      </text>
      <Gradient x={ox} y={40 + oh * outScale + 32} max={max} />
      {minis.map((row, k) => {
        const x = 16 + k * (MINI + 16);
        const [h = 1, w = 1] = row.grid.sizes;
        return (
          <g key={row.layer.name} className="mini" data-layer={row.layer.name}>
            <HeatCanvas
              grid={row.grid}
              picture={null}
              x={x}
              y={miniY}
              size={MINI}
              label={`Field in ${row.layer.name}`}
            />
            <text className="mini-label" x={x} y={miniY + MINI + 16}>
              {row.layer.name}
            </text>
            <text className="mini-detail" x={x} y={miniY + MINI + 30}>
              {h}×{w}: {litCount(row.grid)} lit
            </text>
          </g>
        );
      })}
      {minis.length > 0 && (
        <text className="panel-label" x={16} y={miniY - 12}>
          The same field in earlier layers
          {rows.length - 2 > minis.length ? ` (${minis.length} of ${rows.length - 2})` : ''}
        </text>
      )}
    </svg>
  );
}

function Gradient({ x, y, max }: { x: number; y: number; max: number }) {
  const steps = 12;
  return (
    <g className="gradient">
      {Array.from({ length: steps }, (_, i) => (
        <rect
          key={i}
          x={x + i * 14}
          y={y}
          width={14}
          height={10}
          style={{ fill: heatColour(1 + ((max - 1) * i) / (steps - 1), max) }}
        />
      ))}
    </g>
  );
}

const clamp = (v: number, size: number) => Math.max(0, Math.min(size - 1, v));

/** Up to MAX_MINIS rows spread evenly over the network, the last ones kept. */
function pickMinis(rows: readonly FieldRow[]): FieldRow[] {
  if (rows.length <= MAX_MINIS) return [...rows];
  return Array.from(
    { length: MAX_MINIS },
    (_, i) => rows[Math.round((i * (rows.length - 1)) / (MAX_MINIS - 1))] as FieldRow,
  );
}
