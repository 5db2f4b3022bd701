import { useId, useMemo, type PointerEvent } from 'react';
import type { Index } from '../../../viz/reshape-permute';
import { gridOf, indexColours, inkOn, SLICE_LABEL, type Grid } from './tiles';

/** One tensor of the picture: the original, the reshaped or the permuted one. */
export interface Panel {
  readonly id: 'original' | 'reshape' | 'permute';
  readonly title: string;
  /** Its real sizes, and the drawn ones where they differ. */
  readonly sizes: string;
  /** The drawn shape. */
  readonly shape: Index;
  /** Which original element it holds at `at`. */
  origin(at: Index): Index;
}

interface ReshapeFigureProps {
  readonly panels: readonly Panel[];
  readonly channelsLast: boolean;
  /** The original axis whose index picks each tile's colour, and its name. */
  readonly colourAxis: number;
  readonly colourName: string;
  readonly colourCount: number;
  /** The followed element's original index. */
  readonly focus: Index;
  readonly onFocus: (origin: Index) => void;
  readonly label: string;
  readonly description: string;
}

const GAP = 40;
const HEAD = 44;
const LEGEND = 52;
const SWATCH = 18;
/** Estimated advance of a character: 14px bold sans titles, 12px monospace. */
const TITLE_CHAR = 8.6;
const MONO_CHAR = 7.3;
/** Tile size and label size: labels show while the longest index fits its tile. */
function tileSize(panels: readonly Panel[]): { unit: number; font: number; labels: boolean } {
  const longest = Math.max(...panels.map((p) => p.shape.reduce((n, d) => n + String(d - 1).length + 1, -1)));
  if (longest <= 3) return { unit: 32, font: 13, labels: true };
  if (longest <= 5) return { unit: 40, font: 11, labels: true };
  return { unit: 30, font: 10, labels: false };
}

const key = (index: Index) => index.join(',');

/**
 * The three panels side by side: every element a tile coloured by its index along one original
 * axis and labelled with its original index, the followed element outlined in each.
 */
export function ReshapeFigure(props: ReshapeFigureProps) {
  const { panels, channelsLast, colourAxis, colourName, colourCount, focus, onFocus } = props;
  const titleId = useId();
  const descId = useId();
  const { unit, font, labels } = tileSize(panels);
  const grids = useMemo(() => panels.map((p) => gridOf(p.shape, channelsLast)), [panels, channelsLast]);
  const colours = indexColours(colourCount);
  const widths = panels.map((p, i) => {
    const text = Math.max(p.title.length * TITLE_CHAR, p.sizes.length * MONO_CHAR);
    return Math.max((grids[i] as Grid).width * unit, text);
  });
  const gridHeight = Math.max(...grids.map((g) => g.height * unit));
  const width = widths.reduce((a, b) => a + b, 0) + GAP * (panels.length - 1);
  const legendText = `colour = original ${colourName} index (axis ${colourAxis})`;
  const legendWidth = legendText.length * MONO_CHAR + 12 + colourCount * (SWATCH + 4);
  const viewWidth = Math.max(width, legendWidth) + 8;
  const top = 2;
  const height = top + HEAD + gridHeight + LEGEND;
  const focusKey = key(focus);
  const hover = (e: PointerEvent<SVGSVGElement>) => {
    const tile = (e.target as Element).closest('[data-origin]');
    const origin = tile?.getAttribute('data-origin');
    if (origin) onFocus(origin.split(',').map(Number));
  };
  const lefts = widths.map((_, i) => 4 + widths.slice(0, i).reduce((a, w) => a + w + GAP, 0));
  return (
    <svg
      className="figure reshape-figure"
      viewBox={`0 0 ${viewWidth} ${height}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      onPointerOver={hover}
    >
      <title id={titleId}>{props.label}</title>
      <desc id={descId}>{props.description}</desc>
      {panels.map((panel, i) => {
        const grid = grids[i] as Grid;
        const x = lefts[i] as number;
        const gridLeft = x + ((widths[i] as number) - grid.width * unit) / 2;
        return (
          <g key={panel.id} data-panel={panel.id} data-shape={panel.shape.join(',')}>
            <text className="panel-title" x={x + (widths[i] as number) / 2} y={top + 16}>
              {panel.title}
            </text>
            <text className="panel-sizes" x={x + (widths[i] as number) / 2} y={top + 33}>
              {panel.sizes}
            </text>
            <g transform={`translate(${gridLeft} ${top + HEAD})`}>
              {grid.slices.map((s) => (
                <text key={s.label} className="slice-label" x={s.x * unit} y={(s.y - SLICE_LABEL / 4) * unit}>
                  {s.label}
                </text>
              ))}
              <Tiles grid={grid} panel={panel} unit={unit} font={font} labels={labels} fill={fillOf} />
              <FocusMark grid={grid} panel={panel} unit={unit} focusKey={focusKey} />
            </g>
          </g>
        );
      })}
      <Legend y={top + HEAD + gridHeight + 18} text={legendText} colours={colours} />
    </svg>
  );

  function fillOf(origin: Index): string {
    return colours[origin[colourAxis] as number] ?? '#888';
  }
}

interface TilesProps {
  readonly grid: Grid;
  readonly panel: Panel;
  readonly unit: number;
  readonly font: number;
  readonly labels: boolean;
  readonly fill: (origin: Index) => string;
}

function Tiles({ grid, panel, unit, font, labels, fill }: TilesProps) {
  return grid.tiles.map((tile) => {
    const origin = panel.origin(tile.at);
    const colour = fill(origin);
    return (
      <g
        key={key(tile.at)}
        className="tile"
        data-origin={key(origin)}
        data-at={key(tile.at)}
        transform={`translate(${tile.x * unit} ${tile.y * unit})`}
      >
        <rect width={unit} height={unit} fill={colour} />
        {labels && (
          <text x={unit / 2} y={unit / 2} className={inkOn(colour)} fontSize={font}>
            {origin.join(',')}
          </text>
        )}
      </g>
    );
  });
}

/** The followed element's outline in one panel. */
function FocusMark({
  grid,
  panel,
  unit,
  focusKey,
}: Omit<TilesProps, 'font' | 'labels' | 'fill'> & { focusKey: string }) {
  const tile = grid.tiles.find((t) => key(panel.origin(t.at)) === focusKey);
  if (!tile) return null;
  return (
    <g className="focus-mark" data-focus={focusKey}>
      <rect x={tile.x * unit - 2} y={tile.y * unit - 2} width={unit + 4} height={unit + 4} className="halo" />
      <rect x={tile.x * unit - 2} y={tile.y * unit - 2} width={unit + 4} height={unit + 4} className="ring" />
    </g>
  );
}

function Legend({ y, text, colours }: { y: number; text: string; colours: string[] }) {
  const x0 = 4 + text.length * MONO_CHAR + 10;
  return (
    <g className="reshape-legend" transform={`translate(0 ${y})`}>
      <text x={4} y={SWATCH / 2 + 5}>
        {text}
      </text>
      {colours.map((c, i) => (
        <g key={i} transform={`translate(${x0 + i * (SWATCH + 4)} 0)`}>
          <rect width={SWATCH} height={SWATCH} fill={c} />
          <text x={SWATCH / 2} y={SWATCH / 2} className={`swatch-index ${inkOn(c)}`}>
            {i}
          </text>
        </g>
      ))}
    </g>
  );
}
