import * as tf from '@tensorflow/tfjs';

/**
 * Independent references for the convolution rewrites: deterministic test data, a convolution
 * written as loops, and the dilated convolution as an undilated one whose kernel has zeros
 * between its taps (tfjs can differentiate that).
 */

/** n values in about [−1, 1], different for each seed, the same on every run and in Python. */
export function wave(n: number, seed: number): number[] {
  return Array.from(
    { length: n },
    (_, i) => Math.round(Math.sin(0.7 * i + seed) * Math.cos(0.13 * i * seed + 1) * 1e4) / 1e4,
  );
}

export function tensorOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    wave(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/**
 * The kernel k… × in × out with d − 1 zeros between taps along each axis: as a plain
 * convolution it is the dilated one (Dumoulin & Visin 2016, §5.1). Written as a product with
 * 0/1 placement matrices, so that tfjs differentiates it with respect to the kernel.
 */
export function expandKernel(kernel: tf.Tensor, dilation: readonly number[]): tf.Tensor {
  let w = kernel;
  dilation.forEach((d, axis) => {
    const k = w.shape[axis] as number;
    const span = (k - 1) * d + 1;
    const place = tf.tensor2d(
      Array.from({ length: span * k }, (_, j) => (Math.floor(j / k) === (j % k) * d ? 1 : 0)),
      [span, k],
    );
    const order = [axis, ...w.shape.map((_, i) => i).filter((i) => i !== axis)];
    const moved = tf.transpose(w, order);
    const rest = moved.shape.slice(1);
    const spread = tf.reshape(tf.matMul(place, tf.reshape(moved, [k, -1])), [span, ...rest]);
    const back = order.map((_, i) => order.indexOf(i));
    w = tf.transpose(spread, back);
  });
  return w;
}

/** A k… × in/g × out grouped kernel as the equivalent k… × in × out one, zero outside each group's block. */
export function blockDiagonal(kernel: tf.Tensor, groups: number): tf.Tensor {
  if (groups === 1) return kernel;
  const rank = kernel.rank - 2;
  const inPer = kernel.shape[rank] as number;
  const parts = tf
    .split(kernel, groups, -1)
    .map((part, g) =>
      tf.pad(part, [
        ...Array.from({ length: rank }, (): [number, number] => [0, 0]),
        [g * inPer, (groups - 1 - g) * inPer],
        [0, 0],
      ]),
    );
  return tf.concat(parts, -1);
}

export interface NaiveConv {
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly groups: number;
}

/** A 1-D or 2-D convolution by its definition, y[o] = Σ x[o·s + t·d − p₀]·w[t], with loops. */
export function naiveConv(x: tf.Tensor, w: tf.Tensor, c: NaiveConv): { data: number[]; shape: number[] } {
  const x4 = x.rank === 3 ? x.reshape([x.shape[0] as number, 1, ...x.shape.slice(1)]) : x;
  const w4 = w.rank === 3 ? w.reshape([1, ...w.shape]) : w;
  const [n, h, wd, cin] = x4.shape as number[];
  const [kh, kw, ipg, cout] = w4.shape as number[];
  const two = x.rank === 4;
  const s = two ? c.strides : [1, c.strides[0] ?? 1];
  const d = two ? c.dilation : [1, c.dilation[0] ?? 1];
  const p = two ? c.padding : [[0, 0] as const, c.padding[0] ?? ([0, 0] as const)];
  const out = [0, 1].map((a) => {
    const len = a === 0 ? (h as number) : (wd as number);
    const k = a === 0 ? (kh as number) : (kw as number);
    return Math.floor((len + p[a]![0] + p[a]![1] - (d[a]! * (k - 1) + 1)) / s[a]!) + 1;
  }) as [number, number];
  const xs = x4.dataSync();
  const ws = w4.dataSync();
  const opg = (cout as number) / c.groups;
  const y = new Array<number>((n as number) * out[0] * out[1] * (cout as number)).fill(0);
  for (let b = 0; b < (n as number); b++)
    for (let i = 0; i < out[0]; i++)
      for (let j = 0; j < out[1]; j++)
        for (let o = 0; o < (cout as number); o++) {
          const g = Math.floor(o / opg);
          let sum = 0;
          for (let ti = 0; ti < (kh as number); ti++)
            for (let tj = 0; tj < (kw as number); tj++) {
              const yi = i * s[0]! + ti * d[0]! - p[0]![0];
              const xj = j * s[1]! + tj * d[1]! - p[1]![0];
              if (yi < 0 || xj < 0 || yi >= (h as number) || xj >= (wd as number)) continue;
              for (let ci = 0; ci < (ipg as number); ci++) {
                const xc = g * (ipg as number) + ci;
                sum +=
                  xs[((b * (h as number) + yi) * (wd as number) + xj) * (cin as number) + xc]! *
                  ws[((ti * (kw as number) + tj) * (ipg as number) + ci) * (cout as number) + o]!;
              }
            }
          y[((b * out[0] + i) * out[1] + j) * (cout as number) + o] = sum;
        }
  return {
    data: y,
    shape: two ? [n as number, out[0], out[1], cout as number] : [n as number, out[1], cout as number],
  };
}

/** Largest absolute difference between two arrays of numbers. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
