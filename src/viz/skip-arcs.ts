import { select } from 'd3';
import { MAX_DRAWN_ARCS, type ArcLayout, type PlacedArc } from './arc-layout';

export interface ArcData {
  /** The arcs, laid out once per list of rows (see layoutArcs). */
  readonly layout: ArcLayout;
  /** The vertical centre of each row, by index, in the overlay's coordinates. */
  readonly y: readonly number[];
  readonly height: number;
  /** The selected row's key. */
  readonly selected: string | null;
}

export interface SkipArcs {
  update(data: ArcData): void;
  destroy(): void;
}

/**
 * Draws the connections a stack cannot show (skip connections, branches) as arcs in a gutter
 * beside the layer list. Arcs that overlap are nested at increasing widths; arcs touching the
 * selected layer are highlighted. A new selection only restyles the arcs it touches; the paths
 * are redrawn only when the layout or the rows' positions change. When a layout has too many
 * arcs to draw (its `arcs` is null), only the selected row's are drawn.
 */
export function createSkipArcs(container: HTMLElement, width = 44): SkipArcs {
  const svg = select(container)
    .append('svg')
    .attr('class', 'skip-arcs')
    .attr('width', width)
    .attr('aria-hidden', 'true');
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'arc-head')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 6)
    .attr('markerHeight', 6)
    .attr('orient', 'auto')
    .append('path')
    .attr('d', 'M0,0 L10,5 L0,10 z')
    .attr('fill', 'context-stroke');
  const paths = svg.append('g');
  let drawn: { layout: ArcLayout; y: readonly number[]; height: number } | null = null;
  let active: readonly PlacedArc[] = [];
  let elements = new Map<PlacedArc, SVGPathElement>();

  const shape = (y: readonly number[]) => (d: PlacedArc) => {
    const reach = Math.min(width - 6, 12 + 9 * d.level);
    const y1 = y[d.from] ?? 0;
    const y2 = y[d.to] ?? 0;
    return `M${width},${y1} C${width - reach},${y1} ${width - reach},${y2} ${width - 1},${y2}`;
  };
  const draw = (arcs: readonly PlacedArc[], y: readonly number[], className: string) => {
    elements = new Map();
    paths
      .selectAll<SVGPathElement, PlacedArc>('path')
      .data(arcs)
      .join((enter) => enter.append('path').attr('marker-end', 'url(#arc-head)'))
      .attr('class', className)
      .attr('d', shape(y))
      .each(function (d) {
        elements.set(d, this);
      });
  };

  return {
    update({ layout, y, height, selected }) {
      const moved = !drawn || drawn.layout !== layout || drawn.y !== y || drawn.height !== height;
      const touching = selected === null ? [] : layout.touching(selected);
      if (!layout.arcs) {
        // Too many to draw: the selected row's arcs alone (as many as a whole layout may have).
        draw(touching.slice(0, MAX_DRAWN_ARCS), y, 'arc active');
      } else if (moved) {
        draw(layout.arcs, y, 'arc');
        for (const arc of touching) elements.get(arc)?.classList.add('active');
      } else {
        for (const arc of active) elements.get(arc)?.classList.remove('active');
        for (const arc of touching) elements.get(arc)?.classList.add('active');
      }
      if (moved) svg.attr('height', height);
      drawn = { layout, y, height };
      active = touching;
    },
    destroy() {
      svg.remove();
    },
  };
}
