import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutArcs, MAX_DRAWN_ARCS, nestLevels, type ArcEdge } from '../../src/viz/arc-layout';

/** The nesting the layer list used to do, pair by pair (O(n²)): the reference. */
function greedyLevels(intervals: readonly (readonly [number, number])[]): number[] {
  const levels: number[] = [];
  intervals.forEach(([lo, hi], i) => {
    let level = 0;
    for (let j = 0; j < i; j++) {
      const [a, b] = intervals[j]!;
      if (a < hi && b > lo) level = Math.max(level, levels[j]! + 1);
    }
    levels.push(level);
  });
  return levels;
}

/** The old drawing's order and levels: edges between shown rows, shortest first, then nested. */
function oldArcs(rows: readonly string[], edges: readonly ArcEdge[]) {
  const y = new Map(rows.map((r, i) => [r, i * 48 + 24]));
  const drawn = edges
    .filter((e) => y.has(e.from) && y.has(e.to) && y.get(e.from) !== y.get(e.to))
    .map((e) => ({ from: rows.indexOf(e.from), to: rows.indexOf(e.to), y1: y.get(e.from)!, y2: y.get(e.to)! }))
    .sort((a, b) => Math.abs(a.y2 - a.y1) - Math.abs(b.y2 - b.y1));
  const levels = greedyLevels(drawn.map((d) => [Math.min(d.y1, d.y2), Math.max(d.y1, d.y2)] as const));
  return drawn.map((d, i) => ({ from: d.from, to: d.to, level: levels[i]! }));
}

const interval = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 30 }))
  .map(([lo, length]) => [lo, lo + length] as const);

/** Rows r0…r(n−1) and edges among them (some to rows not shown, some to themselves). */
const listWithEdges = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    rows: fc.constant(Array.from({ length: n }, (_, i) => `r${i}`)),
    edges: fc.array(
      fc.record({ from: fc.integer({ min: 0, max: n }), to: fc.integer({ min: 0, max: n }) }).map((e) => ({
        from: `r${e.from}`,
        to: `r${e.to}`,
      })),
      { maxLength: 120 },
    ),
  }),
);

describe('nesting skip arcs', () => {
  it('gives every interval the level the pairwise greedy nesting gives, ties and shared ends included', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 200 }), (intervals) => {
        expect(nestLevels(intervals)).toEqual(greedyLevels(intervals));
      }),
      { numRuns: 500 },
    );
  });

  it('nests arcs inside each other, and leaves arcs that only meet at a row side by side', () => {
    expect(
      nestLevels([
        [4, 5],
        [3, 6],
        [2, 7],
        [1, 8],
        [8, 9],
      ]),
    ).toEqual([0, 1, 2, 3, 0]);
    // Three arcs over one stretch that share a row: each still needs its own width.
    expect(
      nestLevels([
        [0, 2],
        [0, 2],
        [0, 2],
      ]),
    ).toEqual([0, 1, 2]);
    expect(nestLevels([])).toEqual([]);
  });

  it('lays out the same arcs at the same levels, in the same drawing order, as the old layer list', () => {
    fc.assert(
      fc.property(listWithEdges, ({ rows, edges }) => {
        const layout = layoutArcs(rows, edges);
        const expected = oldArcs(rows, edges);
        expect(layout.count).toBe(expected.length);
        expect(layout.arcs?.map(({ from, to, level }) => ({ from, to, level }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("hands out a row's arcs, the ones highlighted when it is selected", () => {
    fc.assert(
      fc.property(listWithEdges, fc.nat(), ({ rows, edges }, pick) => {
        const layout = layoutArcs(rows, edges);
        const row = rows[pick % rows.length]!;
        const mine = layout.touching(row);
        expect(mine.every((a) => rows[a.from] === row || rows[a.to] === row)).toBe(true);
        expect(mine.length).toBe(layout.arcs!.filter((a) => rows[a.from] === row || rows[a.to] === row).length);
        for (const arc of mine) expect(layout.arcs).toContain(arc);
      }),
      { numRuns: 200 },
    );
  });

  it("beyond the drawing limit, lays out no arcs but still nests a selected row's among themselves", () => {
    // An Add of 80 inputs repeated: 80 × 60 = 4,800 arcs, more than can be drawn.
    const rows = [...Array.from({ length: 80 }, (_, i) => `d${i}`), ...Array.from({ length: 60 }, (_, i) => `a${i}`)];
    const edges = rows.slice(80).flatMap((to) => rows.slice(0, 80).map((from) => ({ from, to })));
    expect(edges.length).toBeGreaterThan(MAX_DRAWN_ARCS);
    const layout = layoutArcs(rows, edges);
    expect(layout.arcs).toBeNull();
    expect(layout.count).toBe(edges.length);
    const mine = layout.touching('a7');
    expect(mine).toHaveLength(80);
    expect(mine.every((a) => rows[a.to] === 'a7')).toBe(true);
    const own = oldArcs(
      rows,
      edges.filter((e) => e.to === 'a7'),
    );
    expect(
      [...mine]
        .sort((x, y) => Math.abs(x.to - x.from) - Math.abs(y.to - y.from) || x.from - y.from)
        .map((a) => a.level),
    ).toEqual(
      [...own].sort((x, y) => Math.abs(x.to - x.from) - Math.abs(y.to - y.from) || x.from - y.from).map((a) => a.level),
    );
    expect(layout.touching('nowhere')).toEqual([]);
  });
});
