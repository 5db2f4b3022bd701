/**
 * How long lz-string's output would be, worked out without building it.
 *
 * lz-string (the share link's compression) gives no bound on its output, and its output can be
 * quadratic in its input: each code may name "the last entry plus its first character", so a
 * 53 KB link can expand to over 250 MB and crash the tab. This reads the same code stream as
 * `decompressFromEncodedURIComponent` (lz-string 1.5.0, `_decompress` with 6 bits a character)
 * but keeps only the LENGTH of each dictionary entry, adds up the output's length, and stops as
 * soon as it passes the limit. Only a stream that stays within it is handed to the library.
 * tests/io/lz-length.test.ts checks, on random and real streams, that the length said here is the
 * length the library returns.
 */

/** `decompressFromEncodedURIComponent`'s alphabet: each character carries 6 bits, first bit highest. */
const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
/** Each character's 6 bits in the order the library reads them, first in the lowest bit. */
const REVERSED = new Uint8Array(128);
for (let i = 0; i < URI_SAFE.length; i++) {
  let reversed = 0;
  for (let bit = 0; bit < 6; bit++) if (i & (32 >> bit)) reversed |= 1 << bit;
  REVERSED[URI_SAFE.charCodeAt(i)] = reversed;
}

/**
 * The link's bits as the library reads them (each character highest bit first, each code's bits
 * lowest first), a character at a time rather than a bit at a time. A character outside the
 * alphabet, or past the end, reads as 0, as in the library (its lookup gives `undefined`).
 */
class BitReader {
  /** Bits read from characters and not yet used, the next in the lowest bit (at most 31). */
  private held = 0;
  private heldCount = 0;
  private next = 0;
  private used = 0;
  constructor(private readonly text: string) {}

  /** The next `count` bits as a number, first bit lowest (count ≤ 26; codes here stay near 20). */
  read(count: number): number {
    while (this.heldCount < count) {
      const code = this.text.charCodeAt(this.next++);
      this.held |= (code < 128 ? (REVERSED[code] ?? 0) : 0) << this.heldCount;
      this.heldCount += 6;
    }
    const bits = this.held & ((1 << count) - 1);
    this.held >>>= count;
    this.heldCount -= count;
    this.used += count;
    return bits;
  }

  /** The library's `data.index`: one more than the characters it has read to their last bit. */
  get index(): number {
    return Math.floor(this.used / 6) + 1;
  }
}

export type LzLength =
  /** The library would return a string of this length (0: it returns "", a damaged link). */
  | { readonly kind: 'length'; readonly length: number }
  /** The output would be longer than the limit; reading stopped there. */
  | { readonly kind: 'over'; readonly limit: number }
  /** The stream names a dictionary entry that does not exist (the library returns null or throws). */
  | { readonly kind: 'damaged' };

const DAMAGED: LzLength = { kind: 'damaged' };
/** The widest code BitReader reads exactly in 32-bit arithmetic. */
const MAX_CODE_BITS = 26;
const EMPTY: LzLength = { kind: 'length', length: 0 };

/**
 * The length of `decompressFromEncodedURIComponent(packed)`, or `over` as soon as it would pass
 * `limit` characters, or `damaged`. Time is linear in `packed.length` (a 2 MB link: 25 to 50 ms
 * in Chromium on a busy 2-core machine, npm run bench:link) and memory in the number of codes
 * read (a number each), whatever the output would be.
 *
 * Also `damaged`: a stream whose first code is 3, which lz-string's compressor never writes and
 * its decompressor turns into the text "undefined" or an exception; and one whose codes grow
 * wider than 26 bits (tens of millions of characters long).
 */
export function lzStringLength(packed: string, limit: number): LzLength {
  const text = packed.replace(/ /g, '+');
  if (text === '') return DAMAGED;
  const end = text.length;
  const reader = new BitReader(text);
  const read = (count: number) => reader.read(count);

  const first = read(2);
  if (first === 2) return EMPTY;
  if (first === 3) return DAMAGED;
  read(first === 0 ? 8 : 16);
  // lengths[i]: the length of dictionary entry i; 0, 1 and 2 are the codes, not entries.
  const lengths: number[] = [0, 0, 0, 1];
  let dictSize = 4;
  let enlargeIn = 4;
  let numBits = 3;
  let last = 1;
  let total = 1;
  if (total > limit) return { kind: 'over', limit };
  for (;;) {
    if (reader.index > end) return EMPTY;
    // Codes this wide need a dictionary of 2^26 entries, so a stream of some 60 million
    // characters; decompressLink refuses links over 2 MB long before.
    if (numBits > MAX_CODE_BITS) return DAMAGED;
    let code = read(numBits);
    if (code === 2) return { kind: 'length', length: total };
    if (code < 2) {
      read(code === 0 ? 8 : 16);
      lengths[dictSize++] = 1;
      code = dictSize - 1;
      enlargeIn--;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: number;
    if (code < dictSize) entry = lengths[code] ?? 0;
    else if (code === dictSize) entry = last + 1;
    else return DAMAGED;
    total += entry;
    if (total > limit) return { kind: 'over', limit };
    lengths[dictSize++] = last + 1;
    enlargeIn--;
    last = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
