import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FLAT_CONCAT, FLAT_SPLIT, type FlatSplitAttrs } from '../../../src/train/loop/optimizer';
import { randomValues, runOn } from './compare';
import { dispatchesDuring, startWebGpu } from './webgpu-setup';

/**
 * The optimizer's flat vector on 'webgpu' (Dawn on SwiftShader in Node): our concatenation of
 * tensors of any shapes into one vector and our split of a vector into parts of given shapes,
 * against the CPU backend's reshape + concat and split + reshape, value for value; up to 7 parts a
 * dispatch, every dispatch writing the one output.
 */
const adapter = await startWebGpu('WebGPU flat vector checks');

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
const total = (shapes: readonly number[][]) => shapes.reduce((t, s) => t + size(s), 0);
const perDispatch = 7;

/** Parameter-like shapes: rank 0 to 4, odd and size-1 dimensions. */
const shape = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 4 });
const shapeLists = fc.array(shape, { minLength: 1, maxLength: 24 });
/** Named cases the random lists must not miss: one part, one scalar, 7, 8, 14 and 15 parts, all size 1. */
const cases: number[][][] = [
  [[5]],
  [[]],
  [[3, 1, 2, 5]],
  Array.from({ length: 7 }, (_, i) => [i + 1]),
  Array.from({ length: 8 }, () => [1]),
  Array.from({ length: 14 }, (_, i) => (i % 2 ? [] : [1, 3])),
  Array.from({ length: 15 }, (_, i) => [(i % 3) + 1, 3, 1, 2].slice(0, i % 5)),
  Array.from({ length: 22 }, () => []),
];

/** Tensors as the kernel's inputs { 0, 1, … } (as tf.concat passes its list). */
const listed = (tensors: tf.Tensor[]): tf.NamedTensorMap => Object.fromEntries(tensors.map((t, i) => [i, t]));
const parts = (shapes: readonly number[][], seed: number) =>
  shapes.map((s, i) => tf.tensor(randomValues(size(s), seed + i), s));
const concatenated = (shapes: readonly number[][]) =>
  tf.engine().runKernel(FLAT_CONCAT, listed(parts(shapes, 1))) as tf.Tensor;
const split = (shapes: readonly number[][]) => {
  const attrs: FlatSplitAttrs = { shapes };
  const x = tf.tensor1d(randomValues(total(shapes), 2));
  return tf.engine().runKernel(FLAT_SPLIT, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
};

describe.skipIf(!adapter)('the flat vector kernels on webgpu', () => {
  it('concatenation equals cpu (each part reshaped to a vector, concatenated), ⌈parts/7⌉ dispatches', async () => {
    await fc.assert(
      fc.asyncProperty(shapeLists, async (shapes) => {
        const expected = await runOn('cpu', () => tf.concat(parts(shapes, 1).map((t) => t.reshape([-1]))));
        let dispatches = 0;
        const actual = await runOn('webgpu', () => {
          const made = parts(shapes, 1);
          const counted = dispatchesDuring(() => tf.engine().runKernel(FLAT_CONCAT, listed(made)) as tf.Tensor);
          dispatches = counted.dispatches;
          return counted.result;
        });
        expect(actual).toEqual(expected);
        expect(actual.shapes).toEqual([[total(shapes)]]);
        expect(dispatches).toBe(Math.ceil(shapes.length / perDispatch));
      }),
      { numRuns: 25, examples: cases.map((c) => [c]) },
    );
  }, 120_000);

  it('split equals cpu (split by sizes, each part reshaped), ⌈parts/7⌉ dispatches', async () => {
    await fc.assert(
      fc.asyncProperty(shapeLists, async (shapes) => {
        const expected = await runOn('cpu', () => {
          const x = tf.tensor1d(randomValues(total(shapes), 2));
          const pieces = shapes.length === 1 ? [x] : tf.split(x, shapes.map(size));
          return pieces.map((p, i) => p.reshape(shapes[i]!));
        });
        let dispatches = 0;
        const actual = await runOn('webgpu', () => {
          const counted = dispatchesDuring(() => split(shapes));
          dispatches = counted.dispatches;
          return counted.result;
        });
        expect(actual).toEqual(expected);
        expect(actual.shapes).toEqual(shapes);
        expect(dispatches).toBe(Math.ceil(shapes.length / perDispatch));
      }),
      { numRuns: 25, examples: cases.map((c) => [c]) },
    );
  }, 120_000);

  it('empty parts are skipped, and come back empty in their shapes', async () => {
    const shapes = [[2], [0], [3, 0, 2], [3]];
    const expected = await runOn('cpu', () => tf.concat(parts(shapes, 1).map((t) => t.reshape([-1]))));
    expect(await runOn('webgpu', () => concatenated(shapes))).toEqual(expected);
    const back = await runOn('webgpu', () => split(shapes));
    expect(back.shapes).toEqual(shapes);
    expect(back.values.map((v) => v.length)).toEqual([2, 0, 0, 3]);
    // Nothing but empty parts: an empty vector, and back.
    const none = [[0], [2, 0]];
    expect(await runOn('webgpu', () => concatenated(none))).toEqual({ values: [new Float32Array(0)], shapes: [[0]] });
    expect((await runOn('webgpu', () => split(none))).shapes).toEqual(none);
  });

  it('every buffer a dispatch binds belongs to the queue until submitted; inputs freed at once leave the results intact', async () => {
    // 20 parts: three dispatches into the one output. tfjs releases the buffer of a tensor freed
    // while the queue owns it (commandQueueOwnedIds) only after the submit, so no other tensor is
    // given it while the dispatches that read or write it wait to run.
    const shapes = Array.from({ length: 20 }, (_, i) => [(i % 4) + 1, 3]);
    const expectedFlat = await runOn('cpu', () => tf.concat(parts(shapes, 1).map((t) => t.reshape([-1]))));
    const expectedParts = await runOn('cpu', () => {
      const x = tf.tensor1d(randomValues(total(shapes), 2));
      return tf.split(x, shapes.map(size)).map((p, i) => p.reshape(shapes[i]!));
    });
    await tf.setBackend('webgpu');
    // From a fresh queue (reading a result submits it), so no submit falls between the calls and the checks.
    const flush = concatenated([[2], [3]]);
    await flush.data();
    flush.dispose();
    const inputs = parts(shapes, 1);
    const flat = tf.engine().runKernel(FLAT_CONCAT, listed(inputs)) as tf.Tensor;
    const x = tf.tensor1d(randomValues(total(shapes), 2));
    const attrs: FlatSplitAttrs = { shapes };
    const pieces = tf.engine().runKernel(FLAT_SPLIT, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const owned = (tf.backend() as unknown as { commandQueueOwnedIds: WeakSet<object> }).commandQueueOwnedIds;
    for (const t of [...inputs, flat, x, ...pieces]) expect(owned.has(t.dataId)).toBe(true);
    tf.dispose([...inputs, x]);
    const noise = shapes.map((s) => tf.fill(s, 9).add(1));
    noise.push(tf.fill([total(shapes)], 9).add(1));
    expect([await flat.data()]).toEqual(expectedFlat.values);
    expect(await Promise.all(pieces.map((p) => p.data()))).toEqual(expectedParts.values);
    tf.dispose([flat, ...pieces, ...noise]);
  });

  it('says what is wrong with parts that do not make up the vector, or a tensor not float32', async () => {
    await tf.setBackend('webgpu');
    expect(() =>
      tf.tidy(() =>
        tf.engine().runKernel(FLAT_SPLIT, { x: tf.zeros([6]) }, { shapes: [[2], [3]] } as unknown as tf.NamedAttrMap),
      ),
    ).toThrow(/parts \[2\], \[3\] do not make up \[6\]/);
    expect(() =>
      tf.tidy(() => tf.engine().runKernel(FLAT_CONCAT, { 0: tf.zeros([2]), 1: tf.zeros([3], 'int32') })),
    ).toThrow(/float32/);
  });
});
