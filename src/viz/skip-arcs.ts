import { select } from 'd3';

export interface ArcRow {
  readonly name: string;
  /** Vertical centre of the row in the overlay's coordinates. */
  readonly y: number;
}

export interface ArcEdge {
  readonly from: string;
  readonly to: string;
}

export interface ArcData {
  readonly rows: readonly ArcRow[];
  readonly edges: readonly ArcEdge[];
  readonly height: number;
  readonly selected: string | null;
}

export interface SkipArcs {
  update(data: ArcData): void;
  destroy(): void;
}

/**
 * Draws the connections a stack cannot show (skip connections, branches) as arcs in a gutter
 * beside the layer list. Arcs that overlap are nested at increasing widths; arcs touching the
 * selected layer are highlighted.
 */
export function createSkipArcs(container: HTMLElement, width = 44): SkipArcs {
  const svg = select(container)
    .append('svg')
    .attr('class', 'skip-arcs')
    .attr('width', width)
    .attr('aria-hidden', 'true');
  const defs = svg.append('defs');
  defs
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
  return {
    update({ rows, edges, height, selected }) {
      svg.attr('height', height);
      const y = new Map(rows.map((r) => [r.name, r.y]));
      const drawn = edges
        .filter((e) => y.has(e.from) && y.has(e.to) && y.get(e.from) !== y.get(e.to))
        .map((e) => ({ ...e, y1: y.get(e.from) as number, y2: y.get(e.to) as number }))
        .sort((a, b) => Math.abs(a.y2 - a.y1) - Math.abs(b.y2 - b.y1));
      const levels = nest(drawn.map((d) => [Math.min(d.y1, d.y2), Math.max(d.y1, d.y2)] as const));
      paths
        .selectAll<SVGPathElement, (typeof drawn)[number]>('path')
        .data(drawn, (d) => `${d.from}->${d.to}`)
        .join((enter) => enter.append('path').attr('marker-end', 'url(#arc-head)'))
        .attr('class', (d) => (d.from === selected || d.to === selected ? 'arc active' : 'arc'))
        .attr('d', (d, i) => {
          const reach = Math.min(width - 6, 12 + 9 * (levels[i] ?? 0));
          return `M${width},${d.y1} C${width - reach},${d.y1} ${width - reach},${d.y2} ${width - 1},${d.y2}`;
        });
    },
    destroy() {
      svg.remove();
    },
  };
}

/** Greedy nesting: each interval gets the lowest level above every shorter interval inside it. */
function nest(intervals: readonly (readonly [number, number])[]): number[] {
  const levels: number[] = [];
  intervals.forEach(([lo, hi], i) => {
    let level = 0;
    for (let j = 0; j < i; j++) {
      const [a, b] = intervals[j] as readonly [number, number];
      if (a < hi && b > lo) level = Math.max(level, (levels[j] ?? 0) + 1);
    }
    levels.push(level);
  });
  return levels;
}
