import { isInput } from '../../../engine/model/model';
import type { KeyboardEvent } from 'react';
import type { Analysis } from '../../../engine/analysis/result';
import { heatColour, litCount, litExtent, maxCount } from '../../../viz/field-heat';
import { readsFrom, type FieldRow } from './rows';
import { countOf } from '../../../engine/text/plural';

const WIDTH = 940;
const ROW = 64;
const LEFT = 120;
const MAX_EDGES = 4000;

interface Field1DProps {
  readonly analysis: Analysis;
  readonly rows: readonly FieldRow[];
  readonly position: number;
  readonly onPosition: (t: number) => void;
}

/**
 * A WaveNet/TCN-style figure: one row of positions per layer, the chosen output at the top and
 * the input at the bottom; lit positions feed the output (coloured by their number of paths),
 * lines are the kernel taps between lit positions. Steps after the chosen one are marked future.
 */
export function Field1D({ analysis, rows, position, onPosition }: Field1DProps) {
  const top = rows[rows.length - 1] as FieldRow;
  const input = rows[0] as FieldRow;
  const length = input.grid.sizes[0] as number;
  const sameLength = rows.every((r) => r.grid.sizes[0] === length);
  const window = sameLength ? timeWindow(rows, length, position) : { from: 0, to: length - 1 };
  const span = window.to - window.from + 1;
  const step = (WIDTH - LEFT - 20) / span;
  const radius = Math.max(1.5, Math.min(9, step * 0.36));
  const rowY = (i: number) => 40 + (rows.length - 1 - i) * ROW;
  const xOf = (row: FieldRow, t: number) => {
    const size = row.grid.sizes[0] as number;
    const inInput = sameLength ? t : ((t + 0.5) * length) / size - 0.5;
    return LEFT + (inInput - window.from + 0.5) * step;
  };
  const visible = (row: FieldRow, t: number) => {
    const x = xOf(row, t);
    return x >= LEFT - 1 && x <= WIDTH;
  };
  const index = new Map(rows.map((r, i) => [r.layer.name, i]));
  const edges: { x1: number; y1: number; x2: number; y2: number }[] = [];
  rows.forEach((row, i) => {
    for (const name of row.sources) {
      const j = index.get(name);
      const source = j === undefined ? undefined : rows[j];
      const reads = source && readsFrom(row, source, analysis.model.dataFormat);
      if (!source || !reads || j === undefined) continue;
      row.grid.counts.forEach((c, o) => {
        if (c === 0 || !visible(row, o) || edges.length > MAX_EDGES) return;
        for (const t of reads(o)) {
          if ((source.grid.counts[t] as number) > 0)
            edges.push({ x1: xOf(row, o), y1: rowY(i) + radius, x2: xOf(source, t), y2: rowY(j) - radius });
        }
      });
    }
  });
  const inputExtent = litExtent(input.grid);
  const max = maxCount(input.grid);
  const futureFrom = sameLength && input.layer !== top.layer ? position + 1 : null;
  const onKeyDown = (e: KeyboardEvent) => {
    const size = top.grid.sizes[0] as number;
    const next = { ArrowLeft: position - 1, ArrowRight: position + 1, Home: 0, End: size - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    onPosition(Math.max(0, Math.min(size - 1, next)));
  };
  const seen = inputExtent?.[0];
  const height = rowY(0) + 46;
  return (
    <svg
      className="figure field-figure field-1d"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="group"
      aria-label={`Output ${position} of ${top.layer.name} reads input steps ${seen ? `${seen[0]} to ${seen[1]}` : 'none'} (${countOf(litCount(input.grid), 'step')})${futureFrom !== null ? `, none after step ${position}` : ''}.`}
      data-lit={litCount(input.grid)}
      data-lit-range={seen ? `${seen[0]}-${seen[1]}` : ''}
    >
      {futureFrom !== null && futureFrom <= window.to && (
        <g className="future">
          <rect
            x={LEFT + (futureFrom - window.from) * step}
            y={8}
            width={(window.to - futureFrom + 1) * step}
            height={height - 22}
          />
          <text x={LEFT + (futureFrom - window.from) * step + 6} y={22}>
            future: steps after {position}
          </text>
        </g>
      )}
      <rect
        className="chooser"
        x={LEFT - 4}
        y={rowY(rows.length - 1) - radius - 4}
        width={WIDTH - LEFT - 12}
        height={radius * 2 + 8}
        tabIndex={0}
        role="slider"
        aria-label={`Output position of ${top.layer.name} (arrow keys)`}
        aria-valuemin={0}
        aria-valuemax={(top.grid.sizes[0] as number) - 1}
        aria-valuenow={position}
        onKeyDown={onKeyDown}
      />
      <g className="edges">
        {edges.map((e, i) => (
          <line key={i} {...e} />
        ))}
      </g>
      {rows.map((row, i) => (
        <g
          key={row.layer.name}
          className="field-row"
          data-layer={row.layer.name}
          transform={`translate(0, ${rowY(i)})`}
        >
          <text className="row-name" x={LEFT - 14} y={0}>
            {row.layer.name}
          </text>
          <text className="row-detail" x={LEFT - 14} y={17}>
            {rowDetail(row)}
          </text>
          {Array.from({ length: row.grid.sizes[0] as number }, (_, t) => t)
            .filter((t) => visible(row, t))
            .map((t) => {
              const c = row.grid.counts[t] as number;
              const chosen = row === top && t === position;
              return (
                <circle
                  key={t}
                  className={`node${c > 0 ? ' lit' : ''}${chosen ? ' chosen' : ''}`}
                  data-t={t}
                  cx={xOf(row, t)}
                  cy={0}
                  r={radius}
                  style={c > 0 && row !== top ? { fill: heatColour(c, maxCount(row.grid)) } : undefined}
                  onClick={row === top ? () => onPosition(t) : undefined}
                >
                  <title>{`${row.layer.name}[${t}]: ${c} path${c === 1 ? '' : 's'}`}</title>
                </circle>
              );
            })}
        </g>
      ))}
      <g className="time-axis" transform={`translate(0, ${rowY(0) + 26})`}>
        {Array.from({ length: span }, (_, k) => window.from + k)
          .filter((t) => step >= 14 || t % Math.ceil(14 / step) === 0)
          .map((t) => (
            <text key={t} x={LEFT + (t - window.from + 0.5) * step} y={0}>
              {t}
            </text>
          ))}
      </g>
      <text className="legend" x={LEFT} y={height - 4}>
        {max > 1
          ? `Colour: paths from the output to each position (1 to ${max} at the input).`
          : 'One path from the output to each position it reads.'}{' '}
        Click a position of {top.layer.name} or use the arrow keys.
      </text>
    </svg>
  );
}

function rowDetail(row: FieldRow): string {
  const g = row.layer.geometry?.[0];
  if (isInput(row.layer)) return countOf(row.grid.sizes[0] ?? 0, 'step');
  if (!g) return row.layer.type;
  return `k=${g.kernel}${g.dilation > 1 ? ` d=${g.dilation}` : ''}${g.stride > 1 ? ` s=${g.stride}` : ''}`;
}

/** The steps on screen: all of a short sequence, else the lit steps with a margin (and the chosen one). */
function timeWindow(rows: readonly FieldRow[], length: number, position: number): { from: number; to: number } {
  if (length <= 96) return { from: 0, to: length - 1 };
  let lo = position;
  let hi = position;
  for (const row of rows) {
    const extent = litExtent(row.grid)?.[0];
    if (extent) [lo, hi] = [Math.min(lo, extent[0]), Math.max(hi, extent[1])];
  }
  const margin = Math.max(4, Math.round((hi - lo) * 0.1));
  let from = Math.max(0, lo - margin);
  let to = Math.min(length - 1, hi + margin);
  if (to - from < 48)
    [from, to] = [Math.max(0, Math.min(from, length - 49)), Math.min(length - 1, Math.max(to, from + 48))];
  return { from, to };
}
