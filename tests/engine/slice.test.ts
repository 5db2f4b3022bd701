import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, layerOf } from '../helpers';

/**
 * Slice keeps x[…, start:end] of one axis (batch excluded, 1-based), the end clamped as Python
 * clamps it. Oracle: TensorFlow.js' tf.slice on a tensor of that shape, with the size Python's
 * slicing gives.
 */
describe('Slice', () => {
  it('gives the shape tf.slice gives, on any axis, in both layouts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat({ max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('channels_last' as const, 'channels_first' as const),
        (shape, pick, start, end, format) => {
          const axis = (pick % shape.length) + 1;
          const size = shape[axis - 1] as number;
          const layer = layerOf(
            analyze(
              [
                { type: 'Input', shape },
                { name: 's', type: 'Slice', axis, start, end },
              ],
              format,
            ),
            's',
          );
          const kept = Math.min(end, size) - start;
          if (kept <= 0) {
            expect(layer.output).toBeNull();
            return;
          }
          const sliced = tf.tidy(
            () =>
              tf.slice(
                tf.zeros([1, ...shape]),
                [0, ...shape.map((_, i) => (i === axis - 1 ? start : 0))],
                [-1, ...shape.map((_, i) => (i === axis - 1 ? kept : -1))],
              ).shape,
          );
          expect(layer.output).toEqual(sliced.slice(1));
          expect(layer.params).toBe(0);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });

  it('says at the layer when the range keeps nothing or the axis does not exist', () => {
    const empty = layerOf(
      analyze([
        { type: 'Input', shape: [4, 4, 6] },
        { name: 's', type: 'Slice', axis: 3, start: 6, end: 9 },
      ]),
      's',
    );
    expect(empty.issues.map((i) => i.code)).toContain('slice-empty');
    const axis = layerOf(
      analyze([
        { type: 'Input', shape: [4, 6] },
        { name: 's', type: 'Slice', axis: 3, start: 0, end: 1 },
      ]),
      's',
    );
    expect(axis.issues.map((i) => i.code)).toContain('slice-axis');
  });
});
