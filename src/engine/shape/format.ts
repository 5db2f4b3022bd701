import type { Dim, Shape } from './shape';

/** "32×32×3", with "?" for unknown sizes. */
export function formatShape(shape: Shape | readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.map(formatDim).join('×');
}

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

/** "1,234,567" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
