import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { connectivity } from '../../src/engine/analysis/connectivity';
import { presetModel } from '../../src/presets';
import { analyze } from '../helpers';
import { engineLayers, measure, opArb, type Op } from './brute-force';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * For every output position of a random stack, the positions the engine lights are exactly the
 * inputs that change that output in TensorFlow.js, their extent is the engine's receptive field,
 * and for stacks of convolutions and sums the path counts equal the measured values.
 */
function check(rank: 1 | 2, size: number, ops: Op[]) {
  const analysis = analyze(engineLayers(rank, size, ops));
  const last = analysis.layers.at(-1)!;
  if (!last.output) return;
  let measured: ReturnType<typeof measure>;
  try {
    measured = measure(rank, size, ops);
  } catch {
    return; // an empty intermediate: the receptive-field test covers the refusal
  }
  const exact = ops.every((op) => op.kind !== 'pool');
  const outSizes = measured.shape;
  const outputs = outSizes.reduce((a, b) => a * b, 1);
  for (let o = 0; o < outputs; o++) {
    const position = rank === 1 ? [o] : [Math.floor(o / outSizes[1]!), o % outSizes[1]!];
    const result = connectivity(analysis, last.name, position);
    const input = result?.grids.get('in');
    expect(input, `output ${o}: reaches the input`).toBeDefined();
    const lit = Array.from(input!.counts, (c, x) => (c > 0 ? x : -1)).filter((x) => x >= 0);
    const changes = measured.values.map((row, x) => (row[o]! !== 0 ? x : -1)).filter((x) => x >= 0);
    expect(lit, `output ${o}: lit = inputs that change it`).toEqual(changes);
    if (exact)
      expect(Array.from(input!.counts), `output ${o}: path counts`).toEqual(measured.values.map((row) => row[o]!));
    const fields = last.receptiveField!.axes.map(
      ({ size: r, jump, start }, a) => [start! + position[a]! * jump, start! + position[a]! * jump + r - 1] as const,
    );
    if (fields.every(([lo, hi]) => lo >= 0 && hi < size) && lit.length) {
      fields.forEach(([lo, hi], a) => {
        const coords = lit.map((x) => (rank === 1 ? x : a === 0 ? Math.floor(x / size) : x % size));
        expect([Math.min(...coords), Math.max(...coords)], `output ${o}, axis ${a}: extent = receptive field`).toEqual([
          lo,
          hi,
        ]);
      });
    }
  }
}

describe('connectivity: lit positions and path counts, against brute force', () => {
  it('random 1-D stacks with stride, padding (valid, same, causal, explicit), dilation, pooling and branches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 32 }), fc.array(opArb(true), { minLength: 1, maxLength: 5 }), (size, ops) =>
        check(1, size, ops),
      ),
      { numRuns: 150, seed: 21 },
    );
  });

  it('random 2-D stacks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 11 }),
        fc.array(opArb(false), { minLength: 1, maxLength: 4 }),
        (size, ops) => check(2, size, ops),
      ),
      { numRuns: 60, seed: 22 },
    );
  });

  it('the causal dilated preset: the last output is fed by exactly the 31 steps up to it, none ahead', () => {
    const analysis = analyzeModel(presetModel('causal-dilated'));
    const grid = connectivity(analysis, 'conv_d8', [63])!.grids.get('input')!;
    const lit = Array.from(grid.counts, (c, x) => (c > 0 ? x : -1)).filter((x) => x >= 0);
    expect(lit).toEqual(Array.from({ length: 31 }, (_, i) => 33 + i));
    // 3 taps in each of 4 layers: 81 paths; the newest and the oldest step have one each, the
    // middle of the field many (why the centre counts more than the edge).
    expect(grid.counts.reduce((a, b) => a + b, 0)).toBe(81);
    expect([grid.counts[63], grid.counts[33]]).toEqual([1, 1]);
    expect(Math.max(...grid.counts)).toBeGreaterThan(4);
    const middle = connectivity(analysis, 'conv_d8', [40])!.grids.get('input')!;
    expect(Array.from(middle.counts.slice(41)).every((c) => c === 0)).toBe(true);
  });

  it('through blocks, the same as through the layers the blocks are made of', () => {
    const blocks = analyze([
      { name: 'in', type: 'Input', shape: [12, 12, 4] },
      { name: 'b1', type: 'ResNetBasicBlock', filters: 8, strides: 2, shortcut: 'B' },
      { name: 'b2', type: 'ResNetBasicBlock', filters: 8, shortcut: 'A' },
    ]);
    const conv = (name: string, inputs: string[], strides = 1, k = 3) => ({
      name,
      type: 'Conv2D',
      filters: 8,
      kernelSize: k,
      strides,
      padding: k === 3 ? 1 : 0,
      useBias: false,
      inputs,
    });
    const flat = analyze([
      { name: 'in', type: 'Input', shape: [12, 12, 4] },
      conv('c1', ['in'], 2),
      conv('c2', ['c1']),
      conv('s', ['in'], 2, 1),
      { name: 'b1', type: 'Add', inputs: ['c2', 's'] },
      conv('d1', ['b1']),
      conv('d2', ['d1']),
      { name: 'b2', type: 'Add', inputs: ['d2', 'b1'] },
    ]);
    for (const position of [
      [0, 0],
      [3, 2],
      [5, 5],
    ]) {
      const a = connectivity(blocks, 'b2', position)!.grids.get('in')!;
      const b = connectivity(flat, 'b2', position)!.grids.get('in')!;
      expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
    }
  });

  it('a layer without positions (after Flatten or global pooling) is fed by every position', () => {
    const analysis = analyzeModel(presetModel('mnist'));
    const grid = connectivity(analysis, 'fc2', [])!.grids.get('input')!;
    expect(grid.counts.every((c) => c > 0)).toBe(true);
  });
});
