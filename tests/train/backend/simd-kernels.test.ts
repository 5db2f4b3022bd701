import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { simdFor } from '../../../src/train/backend/wasm/simd-program';
import { registerWasmTrainingKernels } from '../../../src/train/backend/wasm/kernels';
import { expectWasmMatchesCpu, randomValues } from './compare';

/**
 * Our SIMD Sum, Mean, Multiply, Add, Sub, RealDiv and FusedBatchNorm, and the aliasing Identity
 * and Cast, on 'wasm' against the CPU backend, on random shapes that take the SIMD path (channels
 * a multiple of 4, reductions over leading axes, per-channel vectors) and on ones that fall back
 * to the package's kernels. Elementwise ops must be exact; sums within float rounding (the
 * package's own sums, taken for the other axes, accumulate in float32).
 */
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
});

const make = (shape: number[], seed: number, scale = 1, shift = 0) =>
  tf.tensor(
    randomValues(
      shape.reduce((p, s) => p * s, 1),
      seed,
    ).map((v) => v * scale + shift),
    shape,
  );

const leadingArb = fc.record({
  lead: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
  channels: fc.constantFrom(1, 3, 4, 8, 12, 16, 20, 32, 48, 64),
  seed: fc.integer(),
});

describe('SIMD kernels on wasm = cpu', () => {
  it('sums and means over leading axes (and others, through the fallback)', async () => {
    await fc.assert(
      fc.asyncProperty(leadingArb, fc.boolean(), fc.nat(2), async ({ lead, channels, seed }, keepDims, pick) => {
        const shape = [...lead, channels];
        const axes = [Array.from({ length: lead.length }, (_, i) => i), [shape.length - 1], [0, shape.length - 1]][
          pick
        ] as number[];
        const f = () => [tf.sum(make(shape, seed), axes, keepDims), tf.mean(make(shape, seed), axes, keepDims)];
        await expectWasmMatchesCpu(f, JSON.stringify({ shape, axes, keepDims }), 1e-5);
      }),
      { numRuns: 80 },
    );
  });

  it("takes ReLU's gradient in one pass, exactly as tfjs' dy·step(x), zeros and negatives included", async () => {
    await fc.assert(
      fc.asyncProperty(leadingArb, fc.integer({ min: 0, max: 3 }), async ({ lead, channels, seed }, zeros) => {
        const shape = [...lead, channels];
        // Some inputs exactly 0 (ReLU's kink: its gradient is 0 there) and about half negative.
        const x = () => tf.relu(make(shape, seed)).sub(tf.relu(make(shape, seed + zeros + 1)));
        const dy = () => make(shape, seed + 9);
        const f = () => [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), dy())))(x())];
        await expectWasmMatchesCpu(f, JSON.stringify({ shape }), 0);
      }),
      { numRuns: 60 },
    );
    // The op that ran on wasm was ours: one kernel, no mask tensor.
    await tf.setBackend('wasm');
    const x = make([4, 8], 1);
    const profile = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v)))(x));
    expect(profile.kernels.map((k) => k.name)).toContain('ConvScopeReluGrad');
    expect(profile.kernels.map((k) => k.name)).not.toContain('Step');
    x.dispose();
    await tf.setBackend('cpu');
  });

  it('applies a per-channel vector with each op, in either order, exactly', async () => {
    const ops = [tf.mul, tf.add, tf.sub, tf.div] as const;
    await fc.assert(
      fc.asyncProperty(leadingArb, fc.boolean(), fc.boolean(), async ({ lead, channels, seed }, flip, rank1) => {
        const shape = [...lead, channels];
        const full = () => make(shape, seed);
        const vector = () => make(rank1 ? [channels] : [...lead.map(() => 1), channels], seed + 1, 1, 1.5);
        const f = () => ops.map((o) => (flip ? o(vector(), full()) : o(full(), vector())));
        await expectWasmMatchesCpu(f, JSON.stringify({ shape, flip, rank1 }), 0);
      }),
      { numRuns: 60 },
    );
  });

  it('combines tensors of the same shape with each op exactly', async () => {
    const ops = [tf.mul, tf.add, tf.sub, tf.div] as const;
    await fc.assert(
      fc.asyncProperty(leadingArb, async ({ lead, channels, seed }) => {
        const shape = [...lead, channels];
        const f = () => ops.map((o) => o(make(shape, seed), make(shape, seed + 1, 1, 1.5)));
        await expectWasmMatchesCpu(f, JSON.stringify({ shape }), 0);
      }),
      { numRuns: 40 },
    );
  });

  it('normalises a batch with and without offset and scale', async () => {
    await fc.assert(
      fc.asyncProperty(leadingArb, fc.boolean(), fc.boolean(), async ({ lead, channels, seed }, offset, scale) => {
        const shape = [...lead, channels].slice(-4);
        while (shape.length < 2) shape.unshift(1);
        const c = () => [channels];
        const f = () =>
          tf.batchNorm(
            make(shape, seed, 3),
            make(c(), seed + 1),
            make(c(), seed + 2, 0.5, 1),
            offset ? make(c(), seed + 3) : undefined,
            scale ? make(c(), seed + 4, 2) : undefined,
            1e-3,
          );
        await expectWasmMatchesCpu(f, JSON.stringify({ shape, offset, scale }), 1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('aliases Identity and same-dtype Cast without copying, and still casts', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1.5, -2.25, 3], [3]);
    const same = [tf.clone(x), tf.cast(x, 'float32')];
    const int = tf.cast(x, 'int32');
    const bytes = tf.memory().numBytes;
    expect(same.map((t) => Array.from(t.dataSync()))).toEqual([
      [1.5, -2.25, 3],
      [1.5, -2.25, 3],
    ]);
    x.dispose();
    expect(Array.from(same[0]!.dataSync())).toEqual([1.5, -2.25, 3]);
    expect(int.dtype).toBe('int32');
    tf.dispose([...same, int]);
    expect(tf.memory().numBytes).toBeLessThan(bytes);
    await expectWasmMatchesCpu(() => tf.cast(make([2, 4], 5, 10), 'int32').toFloat(), 'cast to int32', 0);
  });
});

describe('SIMD loops on a threaded build', () => {
  it('bind to its shared memory (typed shared and bounded) and compute the same column sums', () => {
    // What the threaded tfjs-backend-wasm allocates: shared, at most 4 GiB.
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The threaded build imports its memory and keeps it as wasmMemory (the others export asm.memory).
    const backend = { wasm: { asm: {}, wasmMemory: memory } } as unknown as Parameters<typeof simdFor>[0];
    const simd = simdFor(backend);
    if (!simd) throw new Error('no SIMD loops for a shared memory');
    const [rows, channels] = [5, 8];
    const values = Float32Array.from(randomValues(rows * channels, 7));
    new Float32Array(memory.buffer, 0, rows * channels).set(values);
    const out = rows * channels * 4;
    simd.colsum4(0, rows, channels, out, rows);
    const means = Array.from({ length: channels }, (_, c) => {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += values[r * channels + c] as number;
      return Math.fround(sum / rows);
    });
    expect(Array.from(new Float32Array(memory.buffer, out, channels))).toEqual(means);
  });
});
