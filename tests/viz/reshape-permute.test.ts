import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRegrouping } from '../../src/engine/layers/reshape';
import { axisNamesOf, gridOf } from '../../src/ui/views/reshape/tiles';
import {
  capFor,
  countOf,
  describePermute,
  describeReshape,
  matchingPermutation,
  MAX_TILES,
  permuteDestination,
  permuteOrigin,
  permutedShape,
  planComparison,
  reshapeDestination,
  reshapeOrigin,
  swapLastTwo,
} from '../../src/viz/reshape-permute';

/** Every index of `shape` in row-major order, by an odometer whose last digit turns fastest. */
function rowMajor(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const index = shape.map(() => 0);
  const total = shape.reduce((p, d) => p * d, 1);
  for (let n = 0; n < total; n++) {
    out.push([...index]);
    for (let k = shape.length - 1; k >= 0; k--) {
      index[k] = (index[k] as number) + 1;
      if ((index[k] as number) < (shape[k] as number)) break;
      index[k] = 0;
    }
  }
  return out;
}

function primeFactors(n: number): number[] {
  const factors: number[] = [];
  for (let p = 2; n > 1; p++) {
    while (n % p === 0) {
      factors.push(p);
      n /= p;
    }
  }
  return factors;
}

/** Where memory breaks into rows of `shape`: 1, the last size, the last two's product, … */
function breaks(shape: readonly number[]): number[] {
  return shape.reduceRight((b, d) => [...b, (b[b.length - 1] as number) * d], [1]);
}

/** True when every row break of either shape divides the next larger one. */
function divides(from: readonly number[], to: readonly number[]): boolean {
  const all = [...new Set([...breaks(from), ...breaks(to)])].sort((a, b) => a - b);
  return all.every((b, i) => i === 0 || b % (all[i - 1] as number) === 0);
}

/** True when some row of the reshaped result holds elements of two rows of the input. */
function crosses(from: readonly number[], to: readonly number[]): boolean {
  const row = from[from.length - 1] as number;
  const cut = to[to.length - 1] as number;
  for (let start = 0; start < countOf(from); start += cut) {
    if (Math.floor(start / row) !== Math.floor((start + cut - 1) / row)) return true;
  }
  return false;
}

/** True when Reshape to `to` leaves every element where Permute `perm` puts it (by loops). */
function agree(from: readonly number[], to: readonly number[], perm: readonly number[]): boolean {
  const flat = (index: readonly number[], shape: readonly number[]) =>
    index.reduce((f, v, k) => f * (shape[k] as number) + v, 0);
  return rowMajor(from).every(
    (o, f) =>
      flat(
        perm.map((p) => o[p] as number),
        to,
      ) === f,
  );
}

/** A shape and a random other shape with the same number of elements. */
const reshapes = fc
  .record({
    from: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    keys: fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }),
    cuts: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    ones: fc.integer({ min: 0, max: 1 }),
  })
  .map(({ from, keys, cuts, ones }) => {
    const factors = primeFactors(from.reduce((p, d) => p * d, 1));
    const order = factors.map((f, i) => ({ f, key: keys[i] ?? 0 })).sort((a, b) => a.key - b.key);
    const to: number[] = [];
    order.forEach(({ f }, i) => {
      if (to.length === 0 || cuts[i]) to.push(f);
      else to[to.length - 1] = (to[to.length - 1] as number) * f;
    });
    if (to.length === 0 || ones) to.push(1);
    while (to.length > 5) to.push((to.pop() as number) * (to.pop() as number));
    return { from, to };
  });

const permutations = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
  fc
    .shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    )
    .map((perm) => ({ shape, perm })),
);

describe('Reshape: memory order kept', () => {
  it('puts the f-th element in memory order at the f-th position of the result, both ways', () => {
    fc.assert(
      fc.property(reshapes, ({ from, to }) => {
        const source = rowMajor(from);
        const target = rowMajor(to);
        expect(target.length).toBe(source.length);
        target.forEach((at, f) => {
          expect(reshapeOrigin(at, from, to)).toEqual(source[f]);
          expect(reshapeDestination(source[f] as number[], from, to)).toEqual(at);
        });
      }),
    );
  });

  it('matches NumPy on arange(6).reshape(2, 3).reshape(3, 2) = [[0, 1], [2, 3], [4, 5]]', () => {
    const values = [
      [0, 1, 2],
      [3, 4, 5],
    ];
    const valueAt = (at: number[]) => {
      const [i, j] = reshapeOrigin(at, [2, 3], [3, 2]);
      return values[i as number]?.[j as number];
    };
    expect(rowMajor([3, 2]).map(valueAt)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(valueAt([1, 0])).toBe(2);
  });
});

describe('Permute: axes moved', () => {
  it('agrees with a nested-loop transpose of a 2-D array', () => {
    const rows = 3;
    const cols = 5;
    const x = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 10 * i + j));
    const t: number[][] = Array.from({ length: cols }, () => []);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) (t[j] as number[])[i] = x[i]?.[j] as number;
    expect(permutedShape([rows, cols], [1, 0])).toEqual([cols, rows]);
    for (let r = 0; r < cols; r++) {
      for (let c = 0; c < rows; c++) {
        const [i, j] = permuteOrigin([r, c], [1, 0]);
        expect(x[i as number]?.[j as number]).toBe(t[r]?.[c]);
      }
    }
  });

  it('sends element o to the index whose axis k is o[perm[k]], and back', () => {
    fc.assert(
      fc.property(permutations, ({ shape, perm }) => {
        const out = permutedShape(shape, perm);
        const seen = new Set<string>();
        for (const o of rowMajor(shape)) {
          const at = new Array<number>(perm.length);
          for (let k = 0; k < perm.length; k++) at[k] = o[perm[k] as number] as number;
          expect(at.every((v, k) => v < (out[k] as number))).toBe(true);
          expect(permuteDestination(o, perm)).toEqual(at);
          expect(permuteOrigin(at, perm)).toEqual(o);
          seen.add(at.join());
        }
        expect(seen.size).toBe(countOf(shape));
      }),
    );
  });

  it('finds the Permute that gives a reordered shape, and none for other shapes', () => {
    fc.assert(
      fc.property(permutations, ({ shape, perm }) => {
        const found = matchingPermutation(shape, permutedShape(shape, perm));
        expect(found && permutedShape(shape, found)).toEqual(permutedShape(shape, perm));
      }),
    );
    expect(matchingPermutation([3, 48], [48, 3])).toEqual([1, 0]);
    expect(matchingPermutation([3, 48], [144])).toBeNull();
    expect(matchingPermutation([6, 4], [3, 8])).toBeNull();
    expect(swapLastTwo(3)).toEqual([0, 2, 1]);
  });
});

describe('what is drawn', () => {
  it('draws big tensors smaller, by the same rule, and small ones as they are', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        (shape, swap) => {
          const change = swap
            ? ({ kind: 'swap' } as const)
            : ({ kind: 'permute', perm: [...shape.keys()].reverse() } as const);
          const plan = planComparison(shape, change);
          if (!plan?.perm) throw new Error('a swap or a permutation always has a plan');
          const cap = capFor(shape.length);
          expect(countOf(plan.shape)).toBeLessThanOrEqual(MAX_TILES);
          expect(plan.shape.every((d, a) => d <= (shape[a] as number))).toBe(true);
          expect(plan.reshaped).toEqual(permutedShape(plan.shape, plan.perm));
          expect(plan.full.reshaped).toEqual(permutedShape(shape, plan.perm));
          expect(plan.reduced).toBe(shape.some((d) => d > cap));
          if (!plan.reduced) expect(plan.shape).toEqual(shape);
          // The Reshape and the Permute differ in the drawing exactly when they differ for real.
          if (shape.length <= 3) {
            expect(agree(plan.shape, plan.reshaped, plan.perm)).toBe(agree(shape, plan.full.reshaped, plan.perm));
          }
          // Where the input's and the result's row breaks divide each other, result rows cross
          // input rows in the drawing exactly when they do in the real tensor.
          if (divides(shape, plan.full.reshaped)) {
            expect(crosses(plan.shape, plan.reshaped)).toBe(crosses(shape, plan.full.reshaped));
          }
        },
      ),
      // 16×25×40×2 reversed: its rows of 16 and of 2 were once both drawn as 2, so none crossed.
      { examples: [[[16, 25, 40, 2], false]] },
    );
  });

  it('draws a Reshape layer as the same kind of reshape on fewer elements', () => {
    fc.assert(
      fc.property(reshapes, fc.integer({ min: 1, max: 40 }), ({ from, to }, scale) => {
        const big = from.map((d, i) => (i === 0 ? d * scale : d));
        const target = [...to];
        target[0] = (target[0] as number) * scale;
        const plan = planComparison(big, { kind: 'reshape', to: target });
        if (!plan) throw new Error('same element count, so there is a plan');
        expect(countOf(plan.reshaped)).toBe(countOf(plan.shape));
        expect(plan.reshaped.length).toBe(target.length);
        expect(countOf(plan.shape)).toBeLessThanOrEqual(MAX_TILES);
        if (plan.regrouping) expect(isRegrouping(plan.shape, plan.reshaped)).toBe(true);
        if (plan.perm) expect(plan.reshaped).toEqual(permutedShape(plan.shape, plan.perm));
      }),
      { numRuns: 1000 },
    );
    expect(planComparison([3, 48], { kind: 'reshape', to: [144] })?.perm).toBeNull();
    expect(planComparison([3, 48], { kind: 'reshape', to: [100] })).toBeNull();
    expect(planComparison([5], { kind: 'swap' })).toBeNull();
    expect(planComparison([3, 4], { kind: 'permute', perm: [0, 0] })).toBeNull();
  });

  it('lays every element out once, on its own tile', () => {
    for (const shape of [[24], [3, 8], [4, 4, 3], [2, 3, 2, 2]]) {
      for (const channelsLast of [true, false]) {
        const grid = gridOf(shape, channelsLast);
        expect(new Set(grid.tiles.map((t) => t.at.join())).size).toBe(countOf(shape));
        expect(new Set(grid.tiles.map((t) => `${t.x},${t.y}`)).size).toBe(countOf(shape));
        expect(grid.tiles.every((t) => t.x + 1 <= grid.width + 1e-9 && t.y + 1 <= grid.height + 1e-9)).toBe(true);
      }
    }
    // Channels last: rows and columns are the first two axes; channels first: the last two.
    expect(gridOf([4, 4, 3], true).slices.map((s) => s.label)).toEqual(['[:, :, 0]', '[:, :, 1]', '[:, :, 2]']);
    expect(gridOf([3, 4, 4], false).slices.map((s) => s.label)).toEqual(['[0]', '[1]', '[2]']);
  });
});

describe('the picture in words', () => {
  const names = axisNamesOf(2, true);

  it('says which elements the Reshape mixes into one row', () => {
    // 3×8 read as 8×3: row 2 is elements 6, 7 and 8 in memory order, (0, 6), (0, 7) and (1, 0).
    const text = describeReshape([3, 8], [8, 3], names);
    expect(text).toContain('result[0] holds step 0, channels 0–2');
    expect(text).toContain('result[2] mixes step 0 (channels 6–7) with step 1 (channel 0)');
    expect(describeReshape([4, 4, 3], [48], axisNamesOf(3, true))).toContain(
      'only merges row, column and channel into one axis',
    );
    expect(describeReshape([4, 4], [4, 4], names)).toContain('changes nothing');
  });

  it('says what the Permute puts where', () => {
    expect(describePermute([3, 8], [1, 0], names)).toContain('result[0] holds channel 0 of every step');
    expect(describePermute([4, 4, 3], [0, 2, 1], axisNamesOf(3, true))).toContain(
      'result[:, 0] holds channel 0 of every row and column',
    );
  });
});
