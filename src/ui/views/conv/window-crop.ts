/** Cells of a grid drawn at once along one axis; bigger grids show a window that follows the kernel. */
export const MAX_CELLS_2D = 12;
export const MAX_CELLS_1D = 24;

/** A run of cells [from, from + count) of an axis of `size` cells. */
export interface Crop {
  readonly from: number;
  readonly count: number;
  readonly size: number;
}

/**
 * The window of at most `max` cells that keeps [first, last] in view. It turns like a page: it
 * stays put while the kernel slides across it and moves on by a page when the kernel would
 * leave, so the grid stands still under the kernel (and is not redrawn every frame).
 */
export function cropAround(size: number, first: number, last: number, max: number): Crop {
  if (size <= max) return { from: 0, count: size, size };
  const page = Math.max(1, max - (last - first));
  const from = Math.max(0, Math.min(size - max, Math.floor(first / page) * page));
  return { from, count: max, size };
}

export const inCrop = (crop: Crop, i: number) => i >= crop.from && i < crop.from + crop.count;
