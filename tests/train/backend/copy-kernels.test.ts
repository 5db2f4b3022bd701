import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectWasmMatchesCpu, randomValues } from './compare';

/**
 * Our Slice, SplitV and Tile for 'wasm' (block copies in place of the package's per-element loops)
 * against the CPU backend on random shapes of rank 1 to 6, float32, int32 and bool: copies must
 * be exact.
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 });
const dtypeArb = fc.constantFrom('float32' as const, 'int32' as const, 'bool' as const);

function make(shape: number[], dtype: 'float32' | 'int32' | 'bool', seed: number): tf.Tensor {
  const v = randomValues(
    shape.reduce((p, s) => p * s, 1),
    seed,
  );
  if (dtype === 'float32') return tf.tensor(v, shape);
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from(v, (x) => Math.round(x * 1000)),
      shape,
      'int32',
    );
  return tf.tensor(
    Uint8Array.from(v, (x) => (x > 0 ? 1 : 0)),
    shape,
    'bool',
  );
}

describe('Slice, SplitV and Tile on wasm = cpu', () => {
  it('slices random boxes exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            box: fc.tuple(...shape.map((s) => fc.tuple(fc.nat(s - 1), fc.nat(s - 1)))),
            dtype: dtypeArb,
            seed: fc.integer(),
          }),
        ),
        async ({ shape, box, dtype, seed }) => {
          const begin = box.map(([a, b]) => Math.min(a, b));
          const size = box.map(([a, b]) => Math.abs(a - b) + 1);
          const f = () => tf.slice(make(shape, dtype, seed), begin, size).toFloat();
          await expectWasmMatchesCpu(f, JSON.stringify({ shape, begin, size, dtype }), 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('tiles random tensors exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            reps: fc.tuple(...shape.map(() => fc.integer({ min: 1, max: 3 }))),
            dtype: dtypeArb,
            seed: fc.integer(),
          }),
        ),
        async ({ shape, reps, dtype, seed }) => {
          const f = () => tf.tile(make(shape, dtype, seed), reps).toFloat();
          await expectWasmMatchesCpu(f, JSON.stringify({ shape, reps, dtype }), 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splits random tensors along any axis exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            axis: fc.nat(shape.length - 1),
            cuts: fc.array(fc.nat(5), { minLength: 0, maxLength: 3 }),
            dtype: dtypeArb,
            seed: fc.integer(),
          }),
        ),
        async ({ shape, axis, cuts, dtype, seed }) => {
          // Piece sizes summing to the axis length, empty pieces included.
          const length = shape[axis] as number;
          const points = [...new Set(cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b);
          const sizes = [...points, length].map((p, i) => p - (i ? (points[i - 1] as number) : 0));
          const f = () => tf.concat(tf.split(make(shape, dtype, seed), sizes, axis).map((t) => t.toFloat().flatten()));
          await expectWasmMatchesCpu(f, JSON.stringify({ shape, axis, sizes, dtype }), 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the shapes training meets: option-A subsampling and batch-norm broadcasting', async () => {
    await expectWasmMatchesCpu(
      () => make([4, 8, 8, 16], 'float32', 1).reshape([16, 8, 32]).slice([0, 0, 0], [16, 4, 16]),
      'subsample',
      0,
    );
    await expectWasmMatchesCpu(() => tf.tile(make([1, 1, 1, 16], 'float32', 2), [4, 8, 8, 1]), 'broadcast', 0);
  });
});
