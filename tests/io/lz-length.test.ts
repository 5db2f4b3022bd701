import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { toProjectFile } from '../../src/io/project/format';
import { lzStringLength } from '../../src/io/lz-length';
import { presetModel, presets } from '../../src/presets';
import { lzBomb, streamArb, URI_SAFE_CHARS } from './lz-codes';

/** What the library itself returns for a stream: its text's length, null, or 'throws'. */
function libraryLength(packed: string): number | null | 'throws' {
  try {
    const text = decompressFromEncodedURIComponent(packed);
    return text === null ? null : text.length;
  } catch {
    return 'throws';
  }
}

/** The first code of a stream is 3 when its first character's top two bits are both set. */
const firstCodeIs3 = (packed: string) => URI_SAFE_CHARS.indexOf(packed.replace(/ /g, '+')[0] ?? '') >= 48;

/**
 * The pre-scan agrees with the library: the same length where the library returns text, 'damaged'
 * only where the library returns null or throws (or for a first code of 3, refused on purpose).
 * A boolean for fast-check (vitest's expect costs about half a millisecond a call).
 */
function agrees(packed: string): boolean {
  const scan = lzStringLength(packed, Infinity);
  const library = libraryLength(packed);
  if (scan.kind === 'length') return library === scan.length;
  return scan.kind === 'damaged' && (firstCodeIs3(packed) || library === null || library === 'throws');
}

/** Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' is slow to generate). */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

describe('lzStringLength: the length of lz-string’s output, without building it', () => {
  it('a 53 KB bomb: the length lz-string would build (about 263 MB), measured without building it', () => {
    const codes = 23_500;
    const bomb = lzBomb(codes);
    expect(bomb.length).toBeGreaterThan(52 * 1024);
    expect(bomb.length).toBeLessThan(54 * 1024);
    // Output: the first character, then entries of 2, 3, …, codes + 1 characters.
    expect(lzStringLength(bomb, Infinity)).toEqual({ kind: 'length', length: ((codes + 1) * (codes + 2)) / 2 });
    expect(lzStringLength(bomb, 16 * 2 ** 20)).toEqual({ kind: 'over', limit: 16 * 2 ** 20 });
  });

  it('agrees with the library on smaller bombs, built by the library in full', () => {
    for (const codes of [0, 1, 5, 100, 1000, 3000]) expect(agrees(lzBomb(codes))).toBe(true);
  });

  it('agrees with the library on 3,000 random strings of the link alphabet and others', () => {
    const packed = fc.oneof(
      fc.string({ unit: fc.constantFrom(...URI_SAFE_CHARS), maxLength: 400 }),
      fc.string({ unit: fc.constantFrom(...URI_SAFE_CHARS, ' ', '=', '%', '\u00e9'), maxLength: 100 }),
      fc.string({ unit: anyCodeUnit, maxLength: 60 }),
    );
    fc.assert(fc.property(packed, agrees), { numRuns: 3000, seed: 11 });
  });

  it('agrees with the library on 2,000 code streams written directly (literals, entries, growth, damage)', () => {
    fc.assert(fc.property(streamArb, agrees), { numRuns: 2000, seed: 12 });
  });

  it('agrees with the library on 1,000 compressed random texts: the original length', () => {
    const text = fc.oneof(
      fc.string({ unit: anyCodeUnit, maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom('a', 'b', '{', '"', ':'), maxLength: 5000 }),
    );
    fc.assert(
      fc.property(text, (original) => {
        const packed = compressToEncodedURIComponent(original);
        const scan = lzStringLength(packed, Infinity);
        return original === '' || (agrees(packed) && scan.kind === 'length' && scan.length === original.length);
      }),
      { numRuns: 1000, seed: 13 },
    );
  });

  it('agrees with the library on every built-in model as the Share link writes it', () => {
    for (const preset of presets) {
      const json = JSON.stringify(toProjectFile(presetModel(preset.id)));
      const packed = compressToEncodedURIComponent(json);
      expect(lzStringLength(packed, Infinity)).toEqual({ kind: 'length', length: json.length });
      expect(agrees(packed)).toBe(true);
    }
  });

  it('says over exactly when the library’s output would pass the limit (1,000 streams)', () => {
    // Limits around the real length (one less, equal, one more) and anywhere below it.
    const pair = fc.tuple(streamArb, fc.oneof(fc.constantFrom(-1, 0, 1), fc.double({ min: 0, max: 1, noNaN: true })));
    fc.assert(
      fc.property(pair, ([packed, near]) => {
        const library = libraryLength(packed);
        const real = typeof library === 'number' ? library : 100;
        const limit = Number.isInteger(near) ? Math.max(0, real + near) : Math.floor(real * near);
        const scan = lzStringLength(packed, limit);
        // Over: the library would build more than the limit (it may then find damage or run out).
        if (scan.kind === 'over') return library === null || library === 'throws' || library === 0 || library > limit;
        if (typeof library === 'number' && library > limit) return firstCodeIs3(packed);
        return scan.kind === 'damaged' || library === scan.length;
      }),
      { numRuns: 1000, seed: 14 },
    );
  });
});
