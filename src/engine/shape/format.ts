import type { ReceptiveField } from '../analysis/receptive-field';
import type { Dim, Shape } from './shape';

/** "32×32×3", with "?" for unknown sizes. */
export function formatShape(shape: Shape | readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.map(formatDim).join('×');
}

/** One size, "?" when unknown. */
export function formatDim(d: Dim): string {
  return d === null ? '?' : String(d);
}

/** Names of the spatial axes of a feature map with `rank` spatial axes. */
export function axisNames(rank: number): readonly string[] {
  if (rank === 1) return ['length'];
  if (rank === 2) return ['height', 'width'];
  if (rank === 3) return ['depth', 'height', 'width'];
  return Array.from({ length: rank }, (_, i) => `axis ${i + 1}`);
}

const counts = new Intl.NumberFormat('en-US');

/** "1,234,567" (one formatter for all: `toLocaleString` builds a new one per call). */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** "212 / 32 / -90", or per axis "3,5 / 1,1 / -1,-2" when the axes differ. */
export function fieldText(field: ReceptiveField | null): string {
  if (!field || field.axes.length === 0) return '—';
  const part = (values: readonly (number | null)[]) => {
    const text = values.map((v) => (v === null ? '?' : String(Number.isInteger(v) ? v : Number(v.toFixed(3)))));
    return text.every((t) => t === text[0]) ? (text[0] as string) : text.join(',');
  };
  const { axes } = field;
  return `${part(axes.map((a) => a.size))} / ${part(axes.map((a) => a.jump))} / ${part(axes.map((a) => a.start))}`;
}

/** 40.6 M, 15.47 G */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toPrecision(3)} ${unit}`;
  return String(n);
}
