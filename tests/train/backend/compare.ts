import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { constantCount } from '../../../src/train/backend/webgpu/constants';

/**
 * Helpers for comparing the WASM or WebGPU backend (with our kernels) against the CPU backend: the same
 * computation, built from the same plain numbers on each backend, read back as plain numbers.
 */

/** Seeded values in [-1, 1) (mulberry32), so a failing fast-check case reproduces exactly. */
export function randomValues(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Runs `f` on `backend` and returns its result's values and shape; every tensor is freed. */
export async function runOn(
  backend: string,
  f: () => tf.Tensor | tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  // Scalars the WebGPU kernels keep once per value (webgpu/constants.ts) are made on first use,
  // which may fall in this call: they are kept on purpose, not leaked.
  const live = () => tf.memory().numTensors - constantCount();
  const before = live();
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const result = {
    values: (await Promise.all(list.map((t) => t.data()))) as Float32Array[],
    shapes: list.map((t) => t.shape),
  };
  tf.dispose(list);
  expect(live(), `tensors leaked on ${backend}`).toBe(before);
  return result;
}

/**
 * The largest error of `actual` against `expected`, each element measured as
 * |a − e| / max(1, |e|): absolute for values up to 1, relative above.
 */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    const err = Number.isFinite(a) ? Math.abs(a - e) / Math.max(1, Math.abs(e)) : Infinity;
    if (err > worst) worst = err;
  }
  return worst;
}

/**
 * Runs `f` on `backend` and `reference` (by default the same computation) on 'cpu', and expects
 * the same shapes and values within `tolerance` (see maxError); returns the largest error seen.
 */
export async function expectMatchesCpu(
  backend: string,
  f: () => tf.Tensor | tf.Tensor[],
  label: string,
  tolerance = 1e-4,
  reference: () => tf.Tensor | tf.Tensor[] = f,
): Promise<number> {
  const actual = await runOn(backend, f);
  const cpu = await runOn('cpu', reference);
  expect(actual.shapes, `${label}: shapes`).toEqual(cpu.shapes);
  let worst = 0;
  cpu.values.forEach((expected, i) => {
    const err = maxError(actual.values[i] as Float32Array, expected);
    expect(err, `${label}: output ${i} differs by ${err} on ${backend}`).toBeLessThanOrEqual(tolerance);
    worst = Math.max(worst, err);
  });
  return worst;
}

/** expectMatchesCpu on 'wasm'. */
export const expectWasmMatchesCpu = (
  f: () => tf.Tensor | tf.Tensor[],
  label: string,
  tolerance = 1e-4,
  reference: () => tf.Tensor | tf.Tensor[] = f,
): Promise<number> => expectMatchesCpu('wasm', f, label, tolerance, reference);
