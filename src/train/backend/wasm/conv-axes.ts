import type { backend_util } from '@tensorflow/tfjs';

/**
 * A convolution's arithmetic along one axis, for loops that skip the padding instead of reading
 * zeros: which outputs each kernel tap feeds from inside the input (the filter gradient sums tap by
 * tap), and which taps each output reads from inside it (the convolution sums output by output).
 */

/** A run of neighbouring outputs along one axis that read the same kernel taps inside the input. */
export interface AxisRun {
  /** The first output, the first tap it reads, how many outputs and how many taps. */
  readonly out: number;
  readonly tap: number;
  readonly count: number;
  readonly taps: number;
}

/**
 * One axis of a convolution split into runs of outputs with the same taps inside the input (the
 * padding's taps left out): for 3 × 3, 'same', the first output, the middle ones and the last.
 * Null when an output reads only padding (none of its taps lands inside).
 */
export function axisRuns(
  size: number,
  dilation: number,
  stride: number,
  pad: number,
  inSize: number,
  outSize: number,
): AxisRun[] | null {
  const runs: AxisRun[] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - pad;
    const first = Math.max(0, Math.ceil(-start / dilation));
    const last = Math.min(size - 1, Math.floor((inSize - 1 - start) / dilation));
    if (last < first) return null;
    const previous = runs[runs.length - 1];
    if (previous && previous.tap === first && previous.taps === last - first + 1) {
      runs[runs.length - 1] = { ...previous, count: previous.count + 1 };
    } else {
      runs.push({ out: o, tap: first, count: 1, taps: last - first + 1 });
    }
  }
  return runs;
}

/**
 * Along one axis, for each kernel tap that reads inside the input: the first output it feeds,
 * the input position that output reads, and how many outputs in a row do.
 */
export function tapRuns(
  size: number,
  dilation: number,
  stride: number,
  pad: number,
  inSize: number,
  outSize: number,
): { tap: number; out: number; first: number; count: number }[] {
  const out = [];
  for (let tap = 0; tap < size; tap++) {
    const offset = tap * dilation - pad;
    const from = Math.max(0, Math.ceil(-offset / stride));
    const to = Math.min(outSize, Math.floor((inSize - 1 - offset) / stride) + 1);
    if (to > from) out.push({ tap, out: from, first: from * stride + offset, count: to - from });
  }
  return out;
}

/** One axis of `info` as axisRuns and tapRuns take it: size, dilation, stride, pad, input and output sizes. */
export function axisOf(
  info: backend_util.Conv2DInfo,
  axis: 'Height' | 'Width',
): [number, number, number, number, number, number] {
  return [
    info[`filter${axis}`],
    info[`dilation${axis}`],
    info[`stride${axis}`],
    axis === 'Height' ? info.padInfo.top : info.padInfo.left,
    info[`in${axis}`],
    info[`out${axis}`],
  ];
}
