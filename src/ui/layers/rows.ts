import type { Analysis, LayerResult } from '../../engine/analysis/result';

/** A line of the layer list: a layer, or the header of a folded-or-open group of layers. */
export type Row =
  | {
      readonly kind: 'layer';
      readonly key: string;
      readonly layer: LayerResult;
      readonly index: number;
      readonly group?: string;
    }
  | {
      readonly kind: 'group';
      readonly key: string;
      readonly group: string;
      readonly members: readonly LayerResult[];
      readonly collapsed: boolean;
    };

/** The list's lines: consecutive layers of one group get a header; folded groups hide them. */
export function rowsOf(analysis: Analysis, collapsed: readonly string[]): Row[] {
  const rows: Row[] = [];
  const layers = analysis.model.layers;
  const folded = new Set(collapsed);
  analysis.layers.forEach((layer, index) => {
    const group = layers[index]?.group;
    if (group && layers[index - 1]?.group !== group) {
      let end = index;
      while (layers[end + 1]?.group === group) end++;
      rows.push({
        kind: 'group',
        key: `group:${group}:${index}`,
        group,
        members: analysis.layers.slice(index, end + 1),
        collapsed: folded.has(group),
      });
    }
    if (group && folded.has(group)) return;
    rows.push({ kind: 'layer', key: layer.name, layer, index, ...(group ? { group } : {}) });
  });
  return rows;
}

/**
 * The connections a stack does not show: every input that is not the line directly above.
 * Layers hidden in a folded group are drawn at their group's header.
 */
export function skipEdges(rows: readonly Row[]): { from: string; to: string }[] {
  const shownAs = new Map<string, string>();
  for (const row of rows) {
    if (row.kind === 'group') for (const m of row.members) shownAs.set(m.name, row.key);
    else shownAs.set(row.layer.name, row.key);
  }
  const edges: { from: string; to: string }[] = [];
  // The nearest line above that shows a layer: a layer row or a folded group.
  let above: Row | undefined;
  for (const row of rows) {
    if (row.kind !== 'layer') {
      if (row.collapsed) above = row;
      continue;
    }
    for (const input of row.layer.inputs) {
      const from = shownAs.get(input);
      if (!from || from === row.key) continue;
      if (above && above.key === from && row.layer.inputs.length === 1) continue;
      edges.push({ from, to: row.key });
    }
    above = row;
  }
  return edges;
}
