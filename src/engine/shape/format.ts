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

/**
 * Whether a count is exact. Counts (parameters, MACs, elements) are products and sums of whole
 * numbers, which a double holds exactly up to 2^53 (`Number.MAX_SAFE_INTEGER`); past it they
 * round, so the last digits are not the count's.
 */
export function isExactCount(n: number): boolean {
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

/**
 * "1,234,567"; a count past 2^53, which double precision can only approximate, as "≈1.845×10¹⁹"
 * rather than digits that look exact and are not (one formatter for all: `toLocaleString`
 * builds a new one per call).
 */
export function formatCount(n: number): string {
  return isExactCount(n) || !Number.isFinite(n) ? counts.format(n) : `≈${scientific(n, 4)}`;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** "3.09×10²⁶": `digits` significant digits. */
function scientific(n: number, digits: number): string {
  const [mantissa = '', exponent = '0'] = n.toExponential(digits - 1).split('e');
  const power = String(Number(exponent))
    .replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)] ?? d)
    .replace('-', '⁻');
  return `${mantissa}×10${power}`;
}

/**
 * Bytes for people, in binary units as memory is counted: "1.03 MB", "2.00 GB", "≈6.4×10¹⁹ B";
 * small models in KB or bytes ("1.20 KB", "40 B"), never "0.00 MB".
 */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [2 ** 50, 'PB'],
    [2 ** 40, 'TB'],
    [2 ** 30, 'GB'],
    [2 ** 20, 'MB'],
    [2 ** 10, 'KB'],
  ];
  if (bytes >= 2 ** 60) return `${isExactCount(bytes) ? '' : '≈'}${scientific(bytes, 3)} B`;
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toFixed(2)} ${unit}`;
  return `${bytes} B`;
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

/** 40.6 M, 15.5 G; past a thousand T, 3.09×10²⁶. */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  if (n >= 1e15) return scientific(n, 3);
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toPrecision(3)} ${unit}`;
  return String(n);
}
