import { isRegrouping } from '../engine/layers/reshape';

/**
 * Reshape versus Permute, element by element, for one example's tensor (no batch axis) stored
 * row-major (C order), as NumPy, Keras and PyTorch store it: the last axis varies fastest.
 *
 * Reshape keeps that memory order and re-cuts it: the result's element at flat position f is
 * the input's element at flat position f (`numpy.reshape`, `torch.reshape`, Keras `Reshape`).
 * Permute moves whole axes: result axis k is input axis perm[k] (`numpy.transpose(x, perm)`,
 * `torch.permute(x, perm)`, Keras `Permute(perm + 1)`), so result[r] = x[o] with o[perm[k]] = r[k].
 */
export type Index = readonly number[];

/** Number of elements: the product of the sizes (1 for a scalar). */
export function countOf(shape: Index): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Row-major flat position of `index`: Σ index[k] · Π shape[k+1 ..]. */
export function flatten(index: Index, shape: Index): number {
  let flat = 0;
  for (let k = 0; k < shape.length; k++) flat = flat * (shape[k] as number) + (index[k] as number);
  return flat;
}

/** The inverse of `flatten`: the index of flat position `flat` in `shape`. */
export function unflatten(flat: number, shape: Index): number[] {
  const index = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] as number;
    index[k] = flat % d;
    flat = Math.floor(flat / d);
  }
  return index;
}

/** Where the input element at `index` lands when `from` is reshaped to `to`. */
export function reshapeDestination(index: Index, from: Index, to: Index): number[] {
  return unflatten(flatten(index, from), to);
}

/** Which input element the reshaped result holds at `at`. */
export function reshapeOrigin(at: Index, from: Index, to: Index): number[] {
  return unflatten(flatten(at, to), from);
}

/** The shape after Permute: result axis k has the size of input axis perm[k] (0-based). */
export function permutedShape(shape: Index, perm: Index): number[] {
  return perm.map((p) => shape[p] as number);
}

/** Where the input element at `index` lands under Permute `perm`. */
export function permuteDestination(index: Index, perm: Index): number[] {
  return perm.map((p) => index[p] as number);
}

/** Which input element the permuted result holds at `at`. */
export function permuteOrigin(at: Index, perm: Index): number[] {
  const origin = new Array<number>(perm.length);
  perm.forEach((p, k) => (origin[p] = at[k] as number));
  return origin;
}

/** True when `perm` lists 0 … rank − 1 once each. */
export function isPermutation(perm: Index, rank: number): boolean {
  return perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
}

/** Swaps the last two axes: [0, …, r − 1, r − 2]. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  if (rank >= 2) [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return perm;
}

/**
 * The Permute that gives a Reshape's target shape, or null if none does (the sizes are not the
 * input's sizes reordered). Equal sizes keep their order, so a target equal to the input gives
 * the identity.
 */
export function matchingPermutation(from: Index, to: Index): number[] | null {
  if (from.length !== to.length) return null;
  const used = new Set<number>();
  const perm: number[] = [];
  for (const size of to) {
    const axis = from.findIndex((d, i) => d === size && !used.has(i));
    if (axis < 0) return null;
    used.add(axis);
    perm.push(axis);
  }
  return perm;
}

/** What is compared with what. */
export type Change =
  /** Swap the last two axes: Reshape to that shape versus Permute. */
  | { readonly kind: 'swap' }
  /** A Reshape layer's target shape (resolved, no −1) versus the Permute that gives it, if any. */
  | { readonly kind: 'reshape'; readonly to: Index }
  /** A Permute layer's axes (0-based) versus a Reshape to the same shape. */
  | { readonly kind: 'permute'; readonly perm: Index };

/** The sizes a comparison has and the (possibly smaller) sizes it is drawn at. */
export interface Comparison {
  readonly full: { readonly shape: Index; readonly reshaped: Index };
  /** Drawn: the same rule on sizes capped for the screen; equal to `full` when it is small. */
  readonly shape: Index;
  readonly reshaped: Index;
  /** The Permute (0-based) that gives the Reshape's shape; null where none does. */
  readonly perm: Index | null;
  readonly reduced: boolean;
  /** The Reshape only splits or merges neighbouring axes, so every axis keeps its meaning. */
  readonly regrouping: boolean;
}

/** Most tiles a panel draws (a few hundred DOM nodes for the whole picture). */
export const MAX_TILES = 128;

/** Largest size drawn per axis, by rank: about 64 tiles a panel. */
const CAPS = [24, 24, 8, 4, 3, 2] as const;

/** The per-axis cap for tensors of rank up to `rank`. */
export function capFor(rank: number): number {
  return CAPS[Math.min(rank, CAPS.length - 1)] as number;
}

/**
 * Caps sizes at `cap`, keeping different sizes different and in the same order while there are
 * few enough of them (48 × 16 becomes 8 × 7, not 8 × 8, on which a Reshape to the swapped shape
 * would change nothing), and sizes above 1 above 1.
 */
export function capSizes(shape: Index, cap: number): number[] {
  const distinct = [...new Set(shape)].sort((a, b) => b - a);
  const map = new Map<number, number>();
  let ceiling = cap + 1;
  for (const size of distinct) {
    // Never down to 1: an axis of size 1 moves nothing, so a swap with it would look like a no-op.
    ceiling = Math.max(Math.min(size, 2), Math.min(size, ceiling - 1));
    map.set(size, ceiling);
  }
  return shape.map((d) => map.get(d) as number);
}

/** The input and target axes that a splitting or merging Reshape pairs up, or null. */
function regroupBlocks(from: Index, to: Index): { from: number[]; to: number[] }[] | null {
  const blocks: { from: number[]; to: number[] }[] = [];
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    const block = { from: [] as number[], to: [] as number[] };
    let pa = 1;
    let pb = 1;
    const takeFrom = () => {
      block.from.push(i);
      pa *= from[i++] as number;
    };
    const takeTo = () => {
      block.to.push(j);
      pb *= to[j++] as number;
    };
    if (i < from.length) takeFrom();
    if (j < to.length) takeTo();
    while (pa !== pb) {
      if (pa < pb && i < from.length) takeFrom();
      else if (pb < pa && j < to.length) takeTo();
      else return null;
    }
    blocks.push(block);
  }
  return blocks;
}

/** A splitting or merging Reshape on capped sizes: cap the many side of each block, multiply. */
function reduceRegrouping(from: Index, to: Index, cap: number): { shape: number[]; reshaped: number[] } | null {
  const blocks = regroupBlocks(from, to);
  if (!blocks) return null;
  const shape = [...from];
  const reshaped = [...to];
  for (const block of blocks) {
    const big = (axes: number[], sizes: Index) => axes.filter((a) => (sizes[a] as number) > 1);
    const many = big(block.from, from).length > 1 ? 'from' : 'to';
    const [side, other, sideAxes, otherAxes] =
      many === 'from' ? [shape, reshaped, block.from, block.to] : [reshaped, shape, block.to, block.from];
    if (big(otherAxes, other).length > 1) return null;
    let product = 1;
    for (const a of sideAxes) {
      side[a] = Math.min(side[a] as number, cap);
      product *= side[a];
    }
    for (const a of otherAxes) if ((other[a] as number) > 1) other[a] = product;
  }
  return { shape, reshaped };
}

/** Any other Reshape on capped sizes: trailing target sizes are the largest divisors that fit. */
function reduceGeneral(from: Index, to: Index, cap: number): { shape: number[]; reshaped: number[] } {
  const shape = capSizes(from, cap);
  let rest = countOf(shape);
  const reshaped = new Array<number>(to.length);
  for (let k = to.length - 1; k > 0; k--) {
    let d = Math.min(to[k] as number, cap, rest);
    while (rest % d !== 0) d--;
    reshaped[k] = d;
    rest /= d;
  }
  if (to.length > 0) reshaped[0] = rest;
  return { shape, reshaped };
}

/** Widest axis and most tiles of a re-cut drawn on its own boundaries. */
const RECUT_SIZE = 10;
const RECUT_TILES = 64;

/** 1, then the products of the last axis, the last two, …, all: where memory breaks into rows. */
function boundaries(shape: Index): number[] {
  const b = [1];
  for (let i = shape.length - 1; i >= 0; i--) b.push((b[b.length - 1] as number) * (shape[i] as number));
  return b;
}

/**
 * A Reshape that re-cuts memory (neither a split nor a merge) drawn with the same row breaks:
 * the input's and the target's boundaries together cut memory into runs ("atoms"), and each
 * atom is shortened to at most k. 3×48 → 48×3 has atoms 3, 16 and 3 and is drawn 3×9 → 9×3, so
 * that, as in the real tensor, no result row crosses an input row. Null when one boundary does
 * not divide the next (8×7 → 7×8).
 */
function reduceRecut(from: Index, to: Index): { shape: number[]; reshaped: number[] } | null {
  const cuts = [...new Set([...boundaries(from), ...boundaries(to)])].sort((a, b) => a - b);
  const atoms = cuts.slice(1).map((c, j) => c / (cuts[j] as number));
  if (!atoms.every(Number.isInteger)) return null;
  for (let k = Math.min(Math.max(...atoms), RECUT_SIZE); k >= 2; k--) {
    const scaled = new Map<number, number>([[1, 1]]);
    atoms.reduce((acc, atom, j) => {
      const next = acc * Math.min(atom, k);
      scaled.set(cuts[j + 1] as number, next);
      return next;
    }, 1);
    const shrink = (shape: Index) => {
      const b = boundaries(shape);
      const n = shape.length;
      return shape.map(
        (_, i) => (scaled.get(b[n - i] as number) as number) / (scaled.get(b[n - 1 - i] as number) as number),
      );
    };
    const drawn = { shape: shrink(from), reshaped: shrink(to) };
    const sizes = [...drawn.shape, ...drawn.reshaped];
    if (sizes.every((d) => d <= RECUT_SIZE) && countOf(drawn.shape) <= RECUT_TILES) return drawn;
  }
  return null;
}

/**
 * Capped sizes on which the result's rows cross the input's rows exactly as they do for real.
 * The result's row is the axis `perm` moves last; capping can make it as long as the input's
 * row (16×25×40×2 reversed: rows of 16 and 2 both drawn as 2, so no row would cross). The
 * longer row stays a multiple of the shorter when it really is one, and not one when it isn't.
 */
function keepRowRelation(real: Index, perm: Index, capped: number[]): number[] {
  const row = real.length - 1;
  const cut = perm[row] as number;
  const [small, big] = (real[cut] as number) > (real[row] as number) ? [row, cut] : [cut, row];
  const [realSmall, realBig] = [real[small] as number, real[big] as number];
  const [drawnSmall, drawnBig] = [capped[small] as number, capped[big] as number];
  if (realSmall === realBig) return capped;
  const multiple = realBig % realSmall === 0;
  if (drawnBig > drawnSmall && (drawnBig % drawnSmall === 0) === multiple) return capped;
  // Both stay within the real sizes: realBig ≥ 2·realSmall when a multiple, > realSmall otherwise.
  const kept = [...capped];
  kept[big] = multiple ? 2 * drawnSmall : drawnSmall + 1;
  return countOf(kept) <= MAX_TILES ? kept : capped;
}

/**
 * The comparison to draw for a tensor of `shape` and a change, or null when the change does not
 * apply (a swap needs two axes; a Reshape keeps the element count; a Permute lists every axis).
 */
export function planComparison(shape: Index, change: Change): Comparison | null {
  let perm: Index | null;
  let target: Index;
  if (change.kind === 'reshape') {
    if (countOf(change.to) !== countOf(shape) || change.to.length === 0) return null;
    target = change.to;
    perm = matchingPermutation(shape, target);
  } else {
    perm = change.kind === 'swap' ? swapLastTwo(shape.length) : change.perm;
    if (shape.length < (change.kind === 'swap' ? 2 : 1) || !isPermutation(perm, shape.length)) return null;
    target = permutedShape(shape, perm);
  }
  const full = { shape, reshaped: target };
  const regrouping = isRegrouping(shape, target);
  const cap = capFor(Math.max(shape.length, target.length));
  const fits = shape.every((d) => d <= cap) && target.every((d) => d <= cap);
  if (fits) return { full, shape, reshaped: target, perm, reduced: false, regrouping };
  const recut = regrouping ? null : reduceRecut(shape, target);
  if (recut && (!perm || recut.reshaped.every((d, k) => d === recut.shape[perm[k] as number]))) {
    return { full, ...recut, perm, reduced: true, regrouping };
  }
  const reduce = (c: number): { shape: Index; reshaped: Index } => {
    // A split or merge stays one when drawn, even when it is also a permutation (3×2×6 → 6×2×3).
    const regrouped = regrouping ? reduceRegrouping(shape, target, c) : null;
    if (regrouped && (!perm || regrouped.reshaped.every((d, k) => d === regrouped.shape[perm[k] as number]))) {
      return regrouped;
    }
    if (!perm) return reduceGeneral(shape, target, c);
    const capped = keepRowRelation(shape, perm, capSizes(shape, c));
    return { shape: capped, reshaped: permutedShape(capped, perm) };
  };
  // Splits and merges multiply capped sizes: shrink the cap until the tiles fit the budget.
  let drawn = reduce(cap);
  for (let c = cap - 1; c >= 2 && countOf(drawn.shape) > MAX_TILES; c--) drawn = reduce(c);
  return { full, ...drawn, perm, reduced: true, regrouping };
}

/** "channels" for "channel"; "axis 4 indices" for "axis 4". */
function plural(name: string): string {
  return name.startsWith('axis') ? `${name} indices` : `${name}s`;
}

function range(values: readonly number[], name: string): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${name} ${lo}` : `${plural(name)} ${lo}–${hi}`;
}

/** Consecutive elements grouped by their input index without its last axis. */
function runsOf(origins: readonly Index[]): { prefix: Index; last: number[] }[] {
  const runs: { prefix: Index; last: number[] }[] = [];
  for (const o of origins) {
    const prefix = o.slice(0, -1);
    const run = runs[runs.length - 1];
    if (run && run.prefix.every((v, i) => v === prefix[i])) run.last.push(o[o.length - 1] as number);
    else runs.push({ prefix, last: [o[o.length - 1] as number] });
  }
  return runs;
}

function describeRuns(runs: readonly { prefix: Index; last: number[] }[], names: readonly string[]): string {
  const lastName = names[names.length - 1] as string;
  const parts = runs.map(({ prefix, last }) => ({
    prefix: prefix.map((v, a) => `${names[a]} ${v}`).join(', '),
    last: range(last, lastName),
  }));
  if (parts.length === 1) return [parts[0]?.prefix, parts[0]?.last].filter(Boolean).join(', ');
  const each = parts.slice(0, 3).map((p) => (p.prefix ? `${p.prefix} (${p.last})` : p.last));
  if (parts.length > 3) each.push(`${parts.length - 3} more`);
  return each.length === 2 ? each.join(' with ') : listed(each);
}

/** `result[2]`, `result[0, 1]`: the result's index without its last axis. */
function rowName(row: number, to: Index): string {
  return `result[${unflatten(row, to.slice(0, -1)).join(', ')}]`;
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What a splitting or merging Reshape does to the axes: "merges column and channel into one axis". */
function regroupingText(from: Index, to: Index, names: readonly string[]): string {
  const changes: string[] = [];
  for (const block of regroupBlocks(from, to) ?? []) {
    const merged = block.from.filter((a) => (from[a] as number) > 1);
    const split = block.to.filter((a) => (to[a] as number) > 1);
    if (merged.length > 1) changes.push(`merges ${listed(merged.map((a) => names[a] as string))} into one axis`);
    else if (split.length > 1 && merged.length === 1) {
      changes.push(`splits ${names[merged[0] as number]} into ${split.map((a) => to[a]).join('×')}`);
    }
  }
  return changes.length > 0 ? listed(changes) : 'adds or drops axes of size 1';
}

/**
 * The Reshape in words: which input elements its first row holds and, unless it only splits or
 * merges neighbouring axes, the first row that mixes elements of different input rows. `names`
 * are the input's axis names.
 */
export function describeReshape(from: Index, to: Index, names: readonly string[]): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) {
    return 'Reshape to the same shape changes nothing: every element stays where it was.';
  }
  // Trailing axes of size 1 hold one element each: a row is the last longer axis.
  let rank = to.length;
  while (rank > 1 && to[rank - 1] === 1) rank--;
  const cut = to.slice(0, rank);
  const last = cut[rank - 1] as number;
  const row = (r: number) => runsOf(Array.from({ length: last }, (_, i) => unflatten(r * last + i, from)));
  if (isRegrouping(from, to)) {
    const head = `Reshape keeps memory order and here only ${regroupingText(from, to, names)}, so every axis keeps its meaning`;
    if (rank > 1) return `${head}: ${rowName(0, cut)} holds ${describeRuns(row(0), names)}.`;
    const runs = runsOf(Array.from({ length: countOf(from) }, (_, f) => unflatten(f, from)));
    const rest = runs.length > 1 ? `, then ${describeRuns(runs.slice(1, 2), names)}, and so on` : '';
    return `${head}: the result lists ${describeRuns(runs.slice(0, 1), names)}${rest}.`;
  }
  const rows = countOf(cut) / last;
  let mixed = -1;
  for (let r = 0; r < rows && mixed < 0; r++) if (row(r).length > 1) mixed = r;
  const first = `${rowName(0, cut)} ${mixed === 0 ? 'mixes' : 'holds'} ${describeRuns(row(0), names)}`;
  let more = '';
  if (mixed > 0) more = `, and ${rowName(mixed, cut)} mixes ${describeRuns(row(mixed), names)}`;
  else if (mixed < 0) {
    // No row crosses an input row: say how many rows one input row fills.
    const same = (r: number) => row(r)[0]?.prefix.every((v, i) => v === row(0)[0]?.prefix[i]);
    let m = 1;
    while (m < rows && same(m)) m++;
    const source = (row(0)[0]?.prefix ?? []).map((v, a) => `${names[a]} ${v}`).join(', ');
    if (m > 1 && source) more = `, and ${rowName(0, cut)} to ${rowName(m - 1, cut)} all come from ${source}`;
  }
  return (
    `Reshape keeps memory order and re-cuts it into rows of ${last}: ${first}${more}; ` +
    `the result's axes no longer mean what the input's axes meant.`
  );
}

/** The Permute in words: where an element goes and what the result's first moved slice holds. */
export function describePermute(shape: Index, perm: Index, names: readonly string[]): string {
  const k = perm.findIndex((p, i) => p !== i);
  if (k < 0) return 'Permute with the axes in their order changes nothing.';
  const letters = shape.map((_, i) => 'ijklm'[i] ?? `i${i}`);
  const moved = perm.map((p) => letters[p]);
  const source = perm[k] as number;
  const others = names.filter((_, a) => a !== source);
  const slice = `result[${':, '.repeat(k)}0]`;
  return (
    `Permute moves each element (${letters.join(', ')}) to (${moved.join(', ')}): whole axes move, ` +
    `so ${slice} holds ${names[source]} 0 of every ${others.join(' and ')}.`
  );
}
