import fc from 'fast-check';
/**
 * Writes lz-string code streams directly, in decompressFromEncodedURIComponent's encoding, for
 * tests: streams the library's compressor would never write (expansion bombs, references to
 * entries that do not exist, streams cut short) as well as ordinary ones.
 */
export type LzOp =
  /** A new character (a literal): 8 bits below 256, else 16. */
  | { readonly char: number }
  /** An existing dictionary entry, as a fraction of the way from the first entry to the last. */
  | { readonly entry: number }
  /** The entry being made: the previous output plus its first character (what makes bombs). */
  | { readonly grow: true }
  /** A raw code value at the current width, whatever it means (usually damage); ends the ops. */
  | { readonly raw: number };

const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
/** The link alphabet, one character each. */
export const URI_SAFE_CHARS = [...URI_SAFE];

/** The stream that starts with character `first`, then `ops`, then the end code when `end`. */
export function encodeLz(first: number, ops: readonly LzOp[], end = true): string {
  const bits: number[] = [];
  const write = (value: number, count: number) => {
    for (let i = 0; i < count; i++) bits.push(Math.floor(value / 2 ** i) % 2);
  };
  const literal = (char: number, width: number) => {
    write(char < 256 ? 0 : 1, width);
    write(char, char < 256 ? 8 : 16);
  };
  literal(first, 2);
  let dictSize = 4;
  let enlargeIn = 4;
  let numBits = 3;
  const added = () => {
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  };
  let damaged = false;
  for (const op of ops) {
    if ('raw' in op) {
      write(op.raw % 2 ** numBits, numBits);
      damaged = true;
      break;
    }
    if ('char' in op) {
      literal(op.char, numBits);
      dictSize++;
      added();
    } else if ('grow' in op) write(dictSize, numBits);
    else write(3 + Math.min(dictSize - 4, Math.floor(op.entry * (dictSize - 3))), numBits);
    dictSize++;
    added();
  }
  if (end && !damaged) write(2, numBits);
  while (bits.length % 6) bits.push(0);
  let text = '';
  for (let i = 0; i < bits.length; i += 6) {
    let value = 0;
    for (let j = 0; j < 6; j++) value = value * 2 + (bits[i + j] ?? 0);
    text += URI_SAFE[value];
  }
  return text;
}

/**
 * A stream of `codes` codes after the first character, each naming the entry being made, so the
 * output grows by one character a code: n codes give about n²/2 characters.
 */
export function lzBomb(codes: number): string {
  return encodeLz(
    97,
    Array.from({ length: codes }, () => ({ grow: true }) as const),
  );
}

const opArb: fc.Arbitrary<LzOp> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((char) => ({ char })) },
  { weight: 2, arbitrary: fc.integer({ min: 32, max: 126 }).map((char) => ({ char })) },
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((entry) => ({ entry })) },
  { weight: 4, arbitrary: fc.constant({ grow: true } as const) },
);

/** How a generated stream ends: the end code, a raw code (usually damage), or nothing. */
const tailArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant('end' as const) },
  { weight: 2, arbitrary: fc.nat().map((raw) => ({ raw })) },
  { weight: 1, arbitrary: fc.constant('none' as const) },
);

/**
 * Code streams written directly: ordinary, with runs of growth (small bombs), damaged, cut short,
 * with spaces for '+' (as a URL's query decoding leaves them).
 */
export const streamArb = fc
  .record({
    first: fc.integer({ min: 0, max: 0xffff }),
    ops: fc
      .array(
        fc.oneof(
          { weight: 12, arbitrary: opArb.map((op) => [op]) },
          { weight: 1, arbitrary: fc.integer({ min: 2, max: 200 }).map((n) => Array<LzOp>(n).fill({ grow: true })) },
        ),
        { maxLength: 300, size: 'large' },
      )
      .map((chunks) => chunks.flat()),
    tail: tailArb,
    cut: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
    spaces: fc.boolean(),
  })
  .map(({ first, ops, tail, cut, spaces }) => {
    const text = encodeLz(first, typeof tail === 'object' ? [...ops, tail] : ops, tail === 'end');
    const cutText = cut === undefined ? text : text.slice(0, cut % (text.length + 1));
    return spaces ? cutText.replace(/\+/g, ' ') : cutText;
  });
