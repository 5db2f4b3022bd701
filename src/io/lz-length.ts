/**
 * How long lz-string's output would be, worked out without building it.
 *
 * lz-string (the share link's compression) gives no bound on its output, and its output can be
 * quadratic in its input: each code may name "the last entry plus its first character", so a
 * 53 KB link can expand to 256 MB and crash the tab. This reads the same code stream as
 * `decompressFromEncodedURIComponent` (lz-string 1.5.0, `_decompress` with 6 bits a character)
 * but keeps only the LENGTH of each dictionary entry, adds up the output's length, and stops as
 * soon as it passes the limit. Only a stream that stays within it is handed to the library.
 * tests/io/lz-length.test.ts checks, on random and real streams, that the length said here is the
 * length the library returns.
 */

/** `decompressFromEncodedURIComponent`'s alphabet: each character carries 6 bits, first bit highest. */
const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUES = new Uint8Array(128);
for (let i = 0; i < URI_SAFE.length; i++) VALUES[URI_SAFE.charCodeAt(i)] = i;

/** A character outside the alphabet reads as 0, as in the library (its lookup gives `undefined`). */
function valueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUES[code] ?? 0) : 0;
}

export type LzLength =
  /** The library would return a string of this length (0: it returns "", a damaged link). */
  | { readonly kind: 'length'; readonly length: number }
  /** The output would be longer than the limit; reading stopped there. */
  | { readonly kind: 'over'; readonly limit: number }
  /** The stream names a dictionary entry that does not exist (the library returns null or throws). */
  | { readonly kind: 'damaged' };

const DAMAGED: LzLength = { kind: 'damaged' };
const EMPTY: LzLength = { kind: 'length', length: 0 };

/**
 * The length of `decompressFromEncodedURIComponent(packed)`, or `over` as soon as it would pass
 * `limit` characters, or `damaged`. Time is linear in `packed.length` and memory in the number of
 * codes read (about 4 bytes each), whatever the output would be.
 *
 * Also `damaged`: a stream whose first code is 3, which lz-string's compressor never writes and
 * its decompressor turns into the text "undefined" or an exception.
 */
export function lzStringLength(packed: string, limit: number): LzLength {
  const text = packed.replace(/ /g, '+');
  if (text === '') return DAMAGED;
  const end = text.length;
  let value = valueAt(text, 0);
  let position = 32;
  let index = 1;
  const read = (count: number): number => {
    let bits = 0;
    for (let i = 0; i < count; i++) {
      if (value & position) bits |= 1 << i;
      position >>= 1;
      if (position === 0) {
        position = 32;
        value = valueAt(text, index++);
      }
    }
    return bits;
  };

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
    if (index > end) return EMPTY;
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
