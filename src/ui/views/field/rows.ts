import { tapsOf, type Connectivity, type Grid } from '../../../engine/analysis/connectivity';
import type { Analysis, LayerResult } from '../../../engine/analysis/result';

/** Layers that neither move nor mix positions: drawn as part of the row before them. */
const PASS_THROUGH = new Set(['Activation', 'Dropout', 'BatchNormalization']);

/** One row of the connectivity figure: a layer whose positions feed the chosen output. */
export interface FieldRow {
  readonly layer: LayerResult;
  readonly grid: Grid;
  /** Rows this one reads, looking through pass-through layers. */
  readonly sources: readonly string[];
}

/**
 * The rows of the figure in model order (inputs first): every layer that feeds the chosen output,
 * except pass-through layers (activations, dropout, batch norm), which keep positions as they are.
 */
export function fieldRows(analysis: Analysis, connectivity: Connectivity): FieldRow[] {
  const byName = new Map(analysis.layers.map((l) => [l.name, l]));
  const isRow = (l: LayerResult) =>
    connectivity.grids.has(l.name) && (l.name === connectivity.layer || !passThrough(l, analysis));
  const sourcesOf = (l: LayerResult): string[] =>
    l.inputs.flatMap((name) => {
      const source = byName.get(name);
      if (!source) return [];
      return isRow(source) ? [name] : sourcesOf(source);
    });
  return analysis.layers
    .filter(isRow)
    .map((layer) => ({ layer, grid: connectivity.grids.get(layer.name) as Grid, sources: sourcesOf(layer) }));
}

function passThrough(layer: LayerResult, analysis: Analysis): boolean {
  if (!layer.spec || !PASS_THROUGH.has(layer.spec.type)) return false;
  const source = analysis.layers.find((l) => l.name === layer.inputs[0]);
  return !!source && JSON.stringify(source.output) === JSON.stringify(layer.output);
}

/** Positions of `source` that output position `o` of `row` reads (1D), or null when it reads them all. */
export function readsFrom(row: FieldRow, source: FieldRow, format: Analysis['model']['dataFormat']) {
  const taps = tapsOf(row.layer, source.grid.sizes, format);
  if (taps === 'global' || taps === 'children') return null;
  const axis = taps[0];
  return axis ? (o: number) => axis(o) : null;
}
