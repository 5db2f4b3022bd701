import type { AxisGeometry } from '../engine/layers/kind';

/**
 * The sliding window of one layer, frame by frame: for output position n (row-major), the cells
 * of the padded input it reads. Padded coordinates put the first real input cell at p₀.
 */
export interface Slide {
  readonly inputSizes: readonly number[];
  readonly before: readonly number[];
  /** Padded extent per axis: input plus padding, plus any cells a ceil-mode window overhangs. */
  readonly paddedSizes: readonly number[];
  readonly outputSizes: readonly number[];
  readonly frames: number;
  /** Output coordinates of frame n. */
  output(n: number): number[];
  /** Padded coordinates of the taps of frame n, per axis. */
  taps(n: number): number[][];
}

/**
 * Slides the window over the padded input and counts where it fits, independently of the
 * engine's output-length formula (so the animation checks it): position o starts at o·s and
 * spans d·(k − 1) + 1 cells. In ceil mode (PyTorch pooling) a last window may overhang the end by
 * less than a stride, provided it starts inside the input or its left padding.
 */
export function slideOf(geometry: readonly AxisGeometry[], ceilMode = false): Slide | null {
  if (geometry.some((g) => g.input === null || !g.padding)) return null;
  const inputSizes = geometry.map((g) => g.input as number);
  const before = geometry.map((g) => (g.padding as readonly number[])[0] as number);
  const outputSizes: number[] = [];
  const paddedSizes = geometry.map((g, i) => {
    const [p0, p1] = g.padding as readonly number[];
    const padded = (inputSizes[i] as number) + (p0 as number) + (p1 as number);
    const span = g.dilation * (g.kernel - 1) + 1;
    const fits = (o: number) =>
      o * g.stride + span <= padded ||
      (ceilMode &&
        o * g.stride < padded - span + g.stride &&
        o * g.stride < (inputSizes[i] as number) + (p0 as number));
    let count = 0;
    while (fits(count)) count++;
    outputSizes.push(count);
    return Math.max(padded, (count - 1) * g.stride + span);
  });
  const output = (n: number) => {
    const out: number[] = [];
    for (let axis = outputSizes.length - 1; axis >= 0; axis--) {
      out.unshift(n % (outputSizes[axis] as number));
      n = Math.floor(n / (outputSizes[axis] as number));
    }
    return out;
  };
  return {
    inputSizes,
    before,
    paddedSizes,
    outputSizes,
    frames: outputSizes.reduce((a, b) => a * b, 1),
    output,
    taps: (n) =>
      output(n).map((o, i) => {
        const g = geometry[i] as AxisGeometry;
        return Array.from({ length: g.kernel }, (_, t) => o * g.stride + t * g.dilation);
      }),
  };
}

/** Small integers for the worked example: input values in −2…2, weights in −1…1. */
export function exampleInput(channel: number, position: readonly number[]): number {
  const [i = 0, j = 0] = position;
  return ((i * 2 + j * 3 + channel * 4 + 1) % 5) - 2;
}

export function exampleWeight(channel: number, tap: readonly number[]): number {
  const [a = 0, b = 0] = tap;
  return ((a * 2 + b + channel) % 3) - 1;
}

/** A number as printed in the figures: a true minus sign (−2), and in parentheses where it is a factor. */
export function numberText(n: number, factor = false): string {
  if (n >= 0 || Object.is(n, 0)) return String(n === 0 ? 0 : n);
  return factor ? `(−${-n})` : `−${-n}`;
}
