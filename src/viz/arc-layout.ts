/** A connection between two rows of the layer list, by the rows' keys. */
export interface ArcEdge {
  readonly from: string;
  readonly to: string;
}

/** An arc to draw: its rows (by index in the list) and its nesting level. */
export interface PlacedArc {
  readonly from: number;
  readonly to: number;
  readonly level: number;
}

/**
 * Beyond this many arcs the gutter shows only the selected row's: more cannot be told apart in
 * 44 pixels, and drawing them all would hold up the page.
 */
export const MAX_DRAWN_ARCS = 4000;

/** The arcs of one list, nested once; selection changes only restyle them. */
export interface ArcLayout {
  /** Every arc that joins two different shown rows, shortest first. */
  readonly count: number;
  /** The nested arcs, or null when there are more than MAX_DRAWN_ARCS (then see `touching`). */
  readonly arcs: readonly PlacedArc[] | null;
  /** The arcs of one row, nested among themselves: all of the row's arcs when `arcs` is null. */
  touching(row: string): readonly PlacedArc[];
}

/**
 * Lays out the arcs between the rows `rows` (keys, top to bottom). Edges whose ends are not
 * shown, or that join a row to itself, are dropped. Arcs are nested by their span in rows, not
 * pixels, so that a row opening or a font loading does not reshuffle them.
 */
export function layoutArcs(rows: readonly string[], edges: readonly ArcEdge[]): ArcLayout {
  const index = new Map(rows.map((key, i) => [key, i]));
  const drawn: PlacedArc[] = [];
  for (const e of edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    drawn.push({ from, to, level: 0 });
  }
  const byRow = new Map<string, PlacedArc[]>();
  const add = (key: string, arc: PlacedArc) => {
    const list = byRow.get(key);
    if (list) list.push(arc);
    else byRow.set(key, [arc]);
  };
  // Both ends, which differ (arcs from a row to itself were dropped above).
  for (const arc of drawn) {
    add(rows[arc.from] as string, arc);
    add(rows[arc.to] as string, arc);
  }
  if (drawn.length > MAX_DRAWN_ARCS) {
    return { count: drawn.length, arcs: null, touching: (row) => nest(byRow.get(row) ?? []) };
  }
  const arcs = nest(drawn);
  const placed = new Map(drawn.map((arc, i) => [arc, arcs[i] as PlacedArc]));
  return {
    count: drawn.length,
    arcs: [...arcs].sort((a, b) => span(a) - span(b)),
    touching: (row) => (byRow.get(row) ?? []).map((arc) => placed.get(arc) as PlacedArc),
  };
}

const span = (a: PlacedArc) => Math.abs(a.to - a.from);

/** The arcs with their levels, in the order given; nested shortest first (ties in that order). */
function nest(arcs: readonly PlacedArc[]): PlacedArc[] {
  const order = arcs.map((_, i) => i).sort((i, j) => span(arcs[i] as PlacedArc) - span(arcs[j] as PlacedArc));
  const levels = nestLevels(
    order.map((i) => {
      const { from, to } = arcs[i] as PlacedArc;
      return [Math.min(from, to), Math.max(from, to)] as const;
    }),
  );
  const result = [...arcs];
  order.forEach((i, k) => (result[i] = { ...(arcs[i] as PlacedArc), level: levels[k] ?? 0 }));
  return result;
}

/**
 * Greedy nesting, in the order given (shortest first): each interval's level is one above the
 * highest level of the earlier intervals it overlaps (a < hi and b > lo), or 0. Every interval
 * needs lo < hi.
 *
 * The earlier intervals [a, b] overlapping (lo, hi) are those starting in [lo, hi) and those that
 * start before lo and end after it. Two segment trees over the distinct ends answer both in
 * O(log n): a range maximum over start points, and a point query over ranges raised with
 * "at least v". Total O(n log n), where comparing every pair took O(n²).
 */
export function nestLevels(intervals: readonly (readonly [number, number])[]): number[] {
  const coords = [...new Set(intervals.flat())].sort((x, y) => x - y);
  const at = new Map(coords.map((c, i) => [c, i]));
  const starts = new MaxTree(coords.length);
  const covers = new RaiseTree(coords.length);
  return intervals.map(([lo, hi]) => {
    const l = at.get(lo) as number;
    const h = at.get(hi) as number;
    const level = Math.max(starts.max(l, h), covers.at(l)) + 1;
    starts.raise(l, level);
    covers.raiseRange(l + 1, h, level);
    return level;
  });
}

/** Point "raise to at least v", maximum over [from, to). Empty ranges give −1. */
class MaxTree {
  private readonly n: number;
  private readonly tree: Int32Array;
  constructor(n: number) {
    this.n = n;
    this.tree = new Int32Array(2 * n).fill(-1);
  }
  raise(i: number, v: number): void {
    for (let p = i + this.n; p >= 1; p >>= 1) this.tree[p] = Math.max(this.tree[p] as number, v);
  }
  max(from: number, to: number): number {
    let best = -1;
    for (let l = from + this.n, r = to + this.n; l < r; l >>= 1, r >>= 1) {
      if (l & 1) best = Math.max(best, this.tree[l++] as number);
      if (r & 1) best = Math.max(best, this.tree[--r] as number);
    }
    return best;
  }
}

/** Range "raise to at least v" over [from, to), point value. Untouched points give −1. */
class RaiseTree {
  private readonly n: number;
  private readonly tree: Int32Array;
  constructor(n: number) {
    this.n = n;
    this.tree = new Int32Array(2 * n).fill(-1);
  }
  raiseRange(from: number, to: number, v: number): void {
    for (let l = from + this.n, r = to + this.n; l < r; l >>= 1, r >>= 1) {
      if (l & 1) this.tree[l] = Math.max(this.tree[l++] as number, v);
      if (r & 1) {
        r--;
        this.tree[r] = Math.max(this.tree[r] as number, v);
      }
    }
  }
  at(i: number): number {
    let best = -1;
    for (let p = i + this.n; p >= 1; p >>= 1) best = Math.max(best, this.tree[p] as number);
    return best;
  }
}
