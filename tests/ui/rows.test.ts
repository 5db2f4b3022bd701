import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine/analysis/result';
import { rowsOf, skipEdges, type Row } from '../../src/ui/layers/rows';
import { analyze } from '../helpers';

/** The layer list's lines as first written (quadratic): the reference. */
function referenceRows(analysis: Analysis, collapsed: readonly string[]): Row[] {
  const rows: Row[] = [];
  const layers = analysis.model.layers;
  analysis.layers.forEach((layer, index) => {
    const group = layers[index]?.group;
    if (group && layers[index - 1]?.group !== group) {
      const members = analysis.layers.filter(
        (_, j) => j >= index && layers.slice(index, j + 1).every((l) => l.group === group),
      );
      rows.push({
        kind: 'group',
        key: `group:${group}:${index}`,
        group,
        members,
        collapsed: collapsed.includes(group),
      });
    }
    if (group && collapsed.includes(group)) return;
    rows.push({ kind: 'layer', key: layer.name, layer, index, ...(group ? { group } : {}) });
  });
  return rows;
}

function referenceEdges(rows: readonly Row[]): { from: string; to: string }[] {
  const shownAs = new Map<string, string>();
  for (const row of rows) {
    if (row.kind === 'group') for (const m of row.members) shownAs.set(m.name, row.key);
    else shownAs.set(row.layer.name, row.key);
  }
  const edges: { from: string; to: string }[] = [];
  rows.forEach((row, i) => {
    if (row.kind !== 'layer') return;
    const above = rows.slice(0, i).findLast((r) => r.kind === 'layer' || r.collapsed);
    for (const input of row.layer.inputs) {
      const from = shownAs.get(input);
      if (!from || from === row.key) continue;
      if (above && above.key === from && row.layer.inputs.length === 1) continue;
      edges.push({ from, to: row.key });
    }
  });
  return edges;
}

/** Models of Dense layers and Adds wired to earlier layers, in runs of groups (some repeated). */
const model = fc
  .array(
    fc.record({
      inputs: fc.array(fc.nat(), { maxLength: 3 }),
      group: fc.constantFrom(undefined, 'a', 'b', 'c'),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((specs) => [
    { name: 'l0', type: 'Input', shape: [4] },
    ...specs.map((s, i) => {
      const inputs = [...new Set(s.inputs.map((k) => `l${k % (i + 1)}`))];
      const wiring =
        inputs.length >= 2
          ? { type: 'Add', inputs }
          : { type: 'Dense', units: 4, ...(inputs.length ? { inputs } : {}) };
      return { name: `l${i + 1}`, ...wiring, ...(s.group ? { group: s.group } : {}) };
    }),
  ]);

describe('the layer list’s lines and the connections beside them', () => {
  it('are the same as the first, quadratic, version gave, groups folded or not', () => {
    fc.assert(
      fc.property(model, fc.subarray(['a', 'b', 'c']), (layers, collapsed) => {
        const analysis = analyze(layers);
        const rows = rowsOf(analysis, collapsed);
        expect(rows).toEqual(referenceRows(analysis, collapsed));
        expect(skipEdges(rows)).toEqual(referenceEdges(rows));
      }),
      { numRuns: 300 },
    );
  });

  it('draw a connection from a folded group at its header, and none for the line directly above', () => {
    const analysis = analyze([
      { name: 'in', type: 'Input', shape: [4] },
      { name: 'd1', type: 'Dense', units: 4, group: 'g' },
      { name: 'd2', type: 'Dense', units: 4, group: 'g' },
      { name: 'd3', type: 'Dense', units: 4 },
      { name: 'sum', type: 'Add', inputs: ['d3', 'd1'] },
    ]);
    const rows = rowsOf(analysis, ['g']);
    expect(rows.map((r) => r.key)).toEqual(['in', 'group:g:1', 'd3', 'sum']);
    // d3 reads d2, folded into the header just above it: no arc. The Add's two inputs both get one.
    expect(skipEdges(rows)).toEqual([
      { from: 'd3', to: 'sum' },
      { from: 'group:g:1', to: 'sum' },
    ]);
  });
});
