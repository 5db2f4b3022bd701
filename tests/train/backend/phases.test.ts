import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAxis, type AxisPhase } from '../../../src/train/backend/wasm/phases';

/**
 * The polyphase plan of a transposed convolution along one axis, checked as a table (worked by
 * hand from dx[i] = Σ_{o·s + k·d − p = i} dy[o]·w[k]) and against that sum on random 1-D cases.
 */
describe('planAxis', () => {
  it.each([
    // TF 'same', stride 2, 3 taps, even input: padding 0 before (the odd pixel goes after).
    {
      args: [32, 16, 3, 2, 1, 0],
      phases: [
        { offset: 0, length: 16, taps: [2, 0], padBefore: 1, padAfter: 0 },
        { offset: 1, length: 16, taps: [1], padBefore: 0, padAfter: 0 },
      ],
    },
    // 'same', stride 1: one phase, the kernel reversed, padding k − 1 − p on each side.
    { args: [8, 8, 3, 1, 1, 1], phases: [{ offset: 0, length: 8, taps: [2, 1, 0], padBefore: 1, padAfter: 1 }] },
    // 1×1 stride 2 (a ResNet projection): odd positions get no gradient at all.
    {
      args: [16, 8, 1, 2, 1, 0],
      phases: [
        { offset: 0, length: 8, taps: [0], padBefore: 0, padAfter: 0 },
        { offset: 1, length: 8, taps: [], padBefore: 0, padAfter: 0 },
      ],
    },
    // Dilation 2, stride 1, 'same' (padding 2): the taps stay 2 apart over dy.
    {
      args: [6, 6, 3, 1, 2, 2],
      phases: [{ offset: 0, length: 6, taps: [2, 1, 0], dilation: 2, padBefore: 2, padAfter: 2 }],
    },
  ])('$args', ({ args, phases }) => {
    const [inSize, outSize, kernel, stride, dilation, pad] = args as [number, number, number, number, number, number];
    const plan = planAxis(inSize, outSize, kernel, stride, dilation, pad);
    expect(plan).toHaveLength(phases.length);
    phases.forEach((p, i) => expect(plan[i]).toMatchObject(p));
  });

  /** Evaluates the plan on a 1-D dy and kernel: each phase as the stride-1 correlation it describes. */
  function viaPlan(plan: readonly AxisPhase[], dy: number[], w: number[], inSize: number, stride: number): number[] {
    const dx = new Array<number>(inSize).fill(0);
    for (const p of plan) {
      const source = dy.slice(p.cropBefore, dy.length - p.cropAfter);
      const padded = [...new Array<number>(p.padBefore).fill(0), ...source, ...new Array<number>(p.padAfter).fill(0)];
      for (let a = 0; a < p.length; a++) {
        let sum = 0;
        p.taps.forEach((k, m) => (sum += (padded[a + m * p.dilation] ?? NaN) * (w[k] as number)));
        dx[p.offset + a * stride] = sum;
      }
    }
    return dx;
  }

  it('equals the transposed convolution sum on random 1-D cases', () => {
    fc.assert(
      fc.property(
        fc.record({
          inSize: fc.integer({ min: 1, max: 20 }),
          kernel: fc.integer({ min: 1, max: 6 }),
          stride: fc.integer({ min: 1, max: 4 }),
          dilation: fc.integer({ min: 1, max: 4 }),
          before: fc.nat(7),
          after: fc.nat(7),
        }),
        ({ inSize, kernel, stride, dilation, before, after }) => {
          const span = (kernel - 1) * dilation + 1;
          const outSize = Math.floor((inSize + before + after - span) / stride) + 1;
          if (outSize < 1) return;
          const dy = Array.from({ length: outSize }, (_, i) => Math.sin(i + 1));
          const w = Array.from({ length: kernel }, (_, k) => Math.cos(3 * k + 1));
          const direct = new Array<number>(inSize).fill(0);
          for (let o = 0; o < outSize; o++)
            for (let k = 0; k < kernel; k++) {
              const i = o * stride + k * dilation - before;
              if (i >= 0 && i < inSize) direct[i] = (direct[i] as number) + (dy[o] as number) * (w[k] as number);
            }
          const planned = viaPlan(planAxis(inSize, outSize, kernel, stride, dilation, before), dy, w, inSize, stride);
          planned.forEach((v, i) => expect(v).toBeCloseTo(direct[i] as number, 10));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
