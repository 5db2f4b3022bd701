import { color, interpolateViridis, schemeTableau10 } from 'd3';
import { countOf, unflatten, type Index } from '../../../viz/reshape-permute';

/** One element's tile, in tile units from the panel's top left. */
export interface Tile {
  /** Its index in the panel's tensor. */
  readonly at: Index;
  readonly x: number;
  readonly y: number;
}

/** Tiles of one tensor: two axes as rows and columns, any others as separate slices. */
export interface Grid {
  readonly tiles: readonly Tile[];
  readonly slices: readonly { readonly label: string; readonly x: number; readonly y: number }[];
  readonly width: number;
  readonly height: number;
}

const SLICE_GAP = 0.6;
/** Room above each slice for its label, in tile units. */
export const SLICE_LABEL = 0.75;
const LINE_GAP = 0.35;
const WRAP = 8;

/**
 * Lays out a tensor as its framework draws it: the two axes after the channel axis (channels
 * first) or the first two (channels last) as rows and columns, one small grid per index of the
 * other axes; a single axis as text-like lines of 8.
 */
export function gridOf(shape: Index, channelsLast: boolean): Grid {
  const rank = shape.length;
  if (rank === 1) {
    const n = shape[0] as number;
    const wrap = n <= 12 ? n : WRAP;
    const tiles = Array.from({ length: n }, (_, i) => ({
      at: [i],
      x: i % wrap,
      y: Math.floor(i / wrap) * (1 + LINE_GAP),
    }));
    const lines = Math.ceil(n / wrap);
    return { tiles, slices: [], width: wrap, height: lines + (lines - 1) * LINE_GAP };
  }
  const rowAxis = channelsLast ? 0 : rank - 2;
  const colAxis = rowAxis + 1;
  const sliceAxes = Array.from({ length: rank }, (_, a) => a).filter((a) => a !== rowAxis && a !== colAxis);
  const sliceShape = sliceAxes.map((a) => shape[a] as number);
  const rows = shape[rowAxis] as number;
  const cols = shape[colAxis] as number;
  const count = countOf(sliceShape);
  const across = count <= 2 ? count : Math.ceil(Math.sqrt(count));
  const labelled = sliceAxes.length > 0;
  const cellW = cols + SLICE_GAP;
  const cellH = rows + SLICE_GAP + (labelled ? SLICE_LABEL : 0);
  const tiles: Tile[] = [];
  const slices: Grid['slices'][number][] = [];
  for (let s = 0; s < count; s++) {
    const sliceIndex = unflatten(s, sliceShape);
    const left = (s % across) * cellW;
    const top = Math.floor(s / across) * cellH + (labelled ? SLICE_LABEL : 0);
    if (labelled) {
      const parts = Array.from({ length: rank }, (_, a) =>
        sliceAxes.includes(a) ? String(sliceIndex[sliceAxes.indexOf(a)]) : ':',
      );
      while (parts[parts.length - 1] === ':') parts.pop();
      slices.push({ label: `[${parts.join(', ')}]`, x: left, y: top });
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const at = new Array<number>(rank);
        sliceAxes.forEach((a, i) => (at[a] = sliceIndex[i] as number));
        at[rowAxis] = r;
        at[colAxis] = c;
        tiles.push({ at, x: left + c, y: top + r });
      }
    }
  }
  const down = Math.ceil(count / across);
  return { tiles, slices, width: across * cellW - SLICE_GAP, height: down * cellH - SLICE_GAP };
}

/** What the axes of a tensor of `rank` are called, in its layout. */
export function axisNamesOf(rank: number, channelsLast: boolean): string[] {
  if (rank === 1) return ['unit'];
  const spatial = [['step'], ['row', 'column'], ['depth', 'row', 'column']][rank - 2];
  if (!spatial) return Array.from({ length: rank }, (_, a) => `axis ${a}`);
  return channelsLast ? [...spatial, 'channel'] : ['channel', ...spatial];
}

/** One colour per index along the coloured axis: categorical up to 10, else sequential. */
export function indexColours(n: number): string[] {
  if (n <= schemeTableau10.length) return schemeTableau10.slice(0, n);
  return Array.from({ length: n }, (_, i) => interpolateViridis(i / (n - 1)));
}

/** The class of black or white text, whichever reads better on `fill` (WCAG contrast). */
export function inkOn(fill: string): 'ink-dark' | 'ink-light' {
  const rgb = color(fill)?.rgb();
  if (!rgb) return 'ink-dark';
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * linear(rgb.r) + 0.7152 * linear(rgb.g) + 0.0722 * linear(rgb.b);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? 'ink-dark' : 'ink-light';
}
