import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../helpers';
import { engineLayers, measure, opArb, type Op } from './brute-force';

/**
 * Receptive fields against measured connectivity: every input position is set to 1 in its own
 * batch item, the stack runs forward in TensorFlow.js with all-ones kernels, and the output
 * positions that become non-zero are those that input position feeds. The engine's field of
 * output i, [start + i·jump, start + i·jump + size − 1], must contain every input that feeds i,
 * and its ends must be fed wherever the field lies inside the input.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function checkStack(rank: 1 | 2, size: number, ops: Op[]) {
  const analysis = analyze(engineLayers(rank, size, ops));
  const last = analysis.layers.at(-1)!;
  let measured: ReturnType<typeof measure>;
  try {
    measured = measure(rank, size, ops);
  } catch (e) {
    // TensorFlow.js could not run the stack (an output size ≤ 0): the engine must refuse it too.
    expect(last.output, (e as Error).message).toBeNull();
    expect(analysis.diagnostics.some((d) => d.code === 'output-too-small')).toBe(true);
    return;
  }
  if (!last.output) {
    expect(
      measured.shape.some((d) => d <= 0),
      'the engine refused a stack TensorFlow.js ran',
    ).toBe(true);
    return;
  }
  expect(last.output.slice(0, -1)).toEqual(measured.shape);
  const axes = last.receptiveField!.axes;
  const outCount = measured.values[0]!.length;
  for (let o = 0; o < outCount; o++) {
    const outPos = rank === 1 ? [o] : [Math.floor(o / measured.shape[1]!), o % measured.shape[1]!];
    const fed = measured.values.map((row, p) => (row[o]! !== 0 ? p : -1)).filter((p) => p >= 0);
    const fields = axes.map(({ size: r, jump: j, start }, a) => {
      const lo = start! + outPos[a]! * j;
      return [lo, lo + r - 1] as const;
    });
    const inside = fields.every(([lo, hi]) => lo >= 0 && hi < size);
    fields.forEach(([lo, hi], a) => {
      const coords = fed.map((p) => (rank === 1 ? p : a === 0 ? Math.floor(p / size) : p % size));
      expect(
        coords.every((c) => c >= lo && c <= hi),
        `output ${o}, axis ${a}: fed inside [${lo}, ${hi}]`,
      ).toBe(true);
      if (inside) {
        expect(Math.min(...coords), `output ${o}, axis ${a}: field starts at ${lo}`).toBe(lo);
        expect(Math.max(...coords), `output ${o}, axis ${a}: field ends at ${hi}`).toBe(hi);
      }
    });
  }
}

describe('receptive fields equal measured connectivity', () => {
  it('random 1-D stacks with stride, padding (valid, same, causal, explicit), dilation and branches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 40 }), fc.array(opArb(true), { minLength: 1, maxLength: 5 }), (size, ops) =>
        checkStack(1, size, ops),
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('random 2-D stacks with stride, padding, dilation and branches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 14 }),
        fc.array(opArb(false), { minLength: 1, maxLength: 4 }),
        (size, ops) => checkStack(2, size, ops),
      ),
      { numRuns: 80, seed: 12 },
    );
  });

  it('a causal dilated stack (kernel 3, dilations 1, 2, 4, 8) looks back exactly 31 steps and never ahead', () => {
    const ops: Op[] = [1, 2, 4, 8].map((d) => ({ kind: 'conv', k: 3, s: 1, d, pad: 'causal' }));
    const a = analyze(engineLayers(1, 64, ops));
    expect(a.layers.at(-1)!.receptiveField!.axes[0]).toEqual({ size: 31, jump: 1, start: -30 });
    const { values } = measure(1, 64, ops);
    const fedLast = values.map((row, p) => (row[63]! !== 0 ? p : -1)).filter((p) => p >= 0);
    expect(fedLast).toEqual(Array.from({ length: 31 }, (_, i) => 33 + i));
    checkStack(1, 64, ops);
  });

  it('each causal layer adds (k − 1)·d: kernel 2 with dilations 1, 2, 4 give a lookback of 8 steps', () => {
    const ops: Op[] = [1, 2, 4].map((d) => ({ kind: 'conv', k: 2, s: 1, d, pad: 'causal' }));
    expect(analyze(engineLayers(1, 32, ops)).layers.at(-1)!.receptiveField!.axes[0]!.size).toBe(8);
  });
});
