import { interpolateYlOrRd } from 'd3';
import type { Grid } from '../engine/analysis/connectivity';
import type { SampleImage } from './samples';

/** Colour of a path count, relative to the most paths anywhere on the grid (square root: a 3×3 stack's centre and edge both read). */
export function heatColour(count: number, max: number): string {
  return interpolateYlOrRd(heatLevel(count, max));
}

function heatLevel(count: number, max: number): number {
  return 0.15 + 0.85 * Math.sqrt(count / Math.max(max, 1));
}

/** The same scale as RGB triples in 256 steps, for painting canvases pixel by pixel. */
const HEAT_TABLE: readonly (readonly [number, number, number])[] = Array.from({ length: 256 }, (_, i) =>
  parseRgb(interpolateYlOrRd(i / 255)),
);

/** The largest count of a grid. */
export function maxCount(grid: Grid): number {
  let max = 0;
  for (const c of grid.counts) if (c > max) max = c;
  return max;
}

/** The lit cells' bounding box per axis, [first, last], or null when nothing is lit. */
export function litExtent(grid: Grid): [number, number][] | null {
  const rank = grid.sizes.length;
  const lo = grid.sizes.map(() => Infinity);
  const hi = grid.sizes.map(() => -Infinity);
  const position = grid.sizes.map(() => 0);
  let any = false;
  for (let index = 0; index < grid.counts.length; index++) {
    if ((grid.counts[index] as number) > 0) {
      any = true;
      position.forEach((p, axis) => {
        lo[axis] = Math.min(lo[axis] as number, p);
        hi[axis] = Math.max(hi[axis] as number, p);
      });
    }
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++(position[axis] as number) < (grid.sizes[axis] as number)) break;
      position[axis] = 0;
    }
  }
  return any ? lo.map((l, axis) => [l, hi[axis] as number]) : null;
}

/** Lit cells of a grid. */
export function litCount(grid: Grid): number {
  let n = 0;
  for (const c of grid.counts) if (c > 0) n++;
  return n;
}

/**
 * Paints a 2D grid's path counts on a canvas of the grid's size (CSS scales it, pixelated): over
 * a picture when one is given (stretched to the grid; unlit cells dimmed, lit ones tinted by
 * count), else as a heat map on a blank ground.
 */
export function paintHeat(canvas: HTMLCanvasElement, grid: Grid, picture: SampleImage | null): void {
  const [height = 1, width = 1] = grid.sizes.length === 2 ? grid.sizes : [1, grid.counts.length];
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const max = maxCount(grid);
  const image = context.createImageData(width, height);
  const out = image.data;
  const base = picture && resample(picture, width, height);
  for (let i = 0; i < grid.counts.length; i++) {
    const c = grid.counts[i] as number;
    const o = i * 4;
    if (base) {
      const g = [base[o] as number, base[o + 1] as number, base[o + 2] as number];
      if (c > 0) {
        const a = 0.25 + 0.5 * Math.sqrt(c / max);
        const [r, gg, b] = [255, 120 * (1 - a) + 60, 30];
        out[o] = g[0]! * (1 - a) + r * a;
        out[o + 1] = g[1]! * (1 - a) + gg * a;
        out[o + 2] = g[2]! * (1 - a) + b * a;
      } else {
        out[o] = g[0]! * 0.35;
        out[o + 1] = g[1]! * 0.35;
        out[o + 2] = g[2]! * 0.35 + 20;
      }
    } else if (c > 0) {
      const rgb = HEAT_TABLE[Math.round(heatLevel(c, max) * 255)] as readonly [number, number, number];
      out[o] = rgb[0];
      out[o + 1] = rgb[1];
      out[o + 2] = rgb[2];
    } else {
      out[o] = 128;
      out[o + 1] = 132;
      out[o + 2] = 142;
      out[o + 3] = 60;
      continue;
    }
    out[o + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** Nearest-neighbour resampling of a picture to width × height, RGBA. */
function resample(picture: SampleImage, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(picture.height - 1, Math.floor(((y + 0.5) * picture.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(picture.width - 1, Math.floor(((x + 0.5) * picture.width) / width));
      const from = (sy * picture.width + sx) * 4;
      out.set(picture.rgba.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return out;
}

function parseRgb(colour: string): [number, number, number] {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(colour);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** A picture from an image file the user chose, scaled down to at most `max` pixels a side. */
export async function pictureFromFile(file: File, max = 256): Promise<SampleImage> {
  if (!file.type.startsWith('image/'))
    throw new Error(`${file.name} is not an image (it is ${file.type || 'of unknown type'}).`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} could not be read as an image.`);
  }
  const scale = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw images.');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { label: file.name, width, height, rgba: context.getImageData(0, 0, width, height).data };
}
