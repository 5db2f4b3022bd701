import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decompressLink, modelFromHash, modelToHash } from '../../src/io/share-url';
import { presetModel } from '../../src/presets';
import { lzBomb, streamArb, URI_SAFE_CHARS } from './lz-codes';

/**
 * Fuzzing the share-link decoder: random text, code streams written directly (bombs, damage,
 * streams cut short) and mutated real links. Nothing may throw; what is decompressed never
 * passes the limit; no case takes over HANG_MS (a hang, not a speed test: cases take
 * milliseconds; npm run bench:link measures the worst links).
 */
const HANG_MS = 2000;

const realLinks = [
  ...['mnist', 'resnet20-b'].map((name) =>
    readFileSync(new URL(`../fixtures/links/${name}.txt`, import.meta.url), 'utf8').trim(),
  ),
  modelToHash(presetModel('resnet110-a')),
  modelToHash(presetModel('mobilenet')),
].map((hash) => hash.slice('#m='.length));

/** A real link with characters replaced, inserted or removed, or cut short. */
const mutatedLink = fc
  .record({
    link: fc.constantFrom(...realLinks),
    edits: fc.array(fc.record({ at: fc.nat(), char: fc.constantFrom(...URI_SAFE_CHARS, ' ', '%'), kind: fc.nat(2) }), {
      minLength: 1,
      maxLength: 4,
    }),
  })
  .map(({ link, edits }) =>
    edits.reduce((text, { at, char, kind }) => {
      const p = at % (text.length + 1);
      return kind === 0
        ? text.slice(0, p) + char + text.slice(p + 1)
        : kind === 1
          ? text.slice(0, p) + char + text.slice(p)
          : text.slice(0, p);
    }, link),
  );

/**
 * Bombs around the limits, whole or cut short: n codes expand to (n + 1)(n + 2) / 2 characters, so
 * 87 and 88 codes fall either side of 4,000, 5,791 and 5,792 either side of 16 MB; 23,500 codes
 * are a 53 KB link that lz-string would expand to 263 MB.
 */
const bombs = [10, 87, 88, 2000, 5791, 5792, 12_000, 23_500].map(lzBomb);
const bombArb = fc
  .tuple(fc.constantFrom(...bombs), fc.option(fc.nat(), { nil: undefined }))
  .map(([bomb, cut]) => (cut === undefined ? bomb : bomb.slice(0, cut % (bomb.length + 1))));

const linkArb = fc.oneof(
  { weight: 4, arbitrary: streamArb },
  { weight: 3, arbitrary: mutatedLink },
  { weight: 1, arbitrary: fc.constantFrom(...realLinks) },
  { weight: 1, arbitrary: bombArb },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...URI_SAFE_CHARS, ' '), maxLength: 500 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
);

/** Runs `read` on `input`, failing on a throw or a case that takes over HANG_MS. */
function timed<T>(read: () => T, input: string): T {
  const start = performance.now();
  const result = read();
  const ms = performance.now() - start;
  if (ms > HANG_MS) throw new Error(`${ms.toFixed(0)} ms on a link of ${input.length} characters`);
  return result;
}

describe('fuzz: the share-link decoder', () => {
  it('10,000 links with a 4,000-character limit: never throws, never returns more than the limit', () => {
    const LIMIT = 4000;
    let over = 0;
    let read = 0;
    fc.assert(
      fc.property(linkArb, (packed) => {
        const result = timed(() => decompressLink(packed, LIMIT), packed);
        if (result.ok) {
          read++;
          if (result.text.length > LIMIT) throw new Error(`${result.text.length} characters came out`);
        } else {
          if (typeof result.error !== 'string' || result.error === '') throw new Error('no message');
          if (result.error.includes('would expand')) over++;
        }
      }),
      { numRuns: 10_000, seed: 21 },
    );
    // The generator reached both sides of the limit.
    expect(read).toBeGreaterThan(1000);
    expect(over).toBeGreaterThan(1000);
  }, 300_000);

  it('10,000 links as an address’s hash at the real limit: a model or a message, never a throw', () => {
    let models = 0;
    fc.assert(
      fc.property(linkArb, (packed) => {
        const read = timed(() => modelFromHash(`#m=${packed}`), packed);
        if (read === undefined) return true; // no m= value left (e.g. '&' cut it off)
        if (read.ok) models++;
        return read.ok || (typeof read.error === 'string' && read.error.length > 0);
      }),
      { numRuns: 10_000, seed: 22 },
    );
    expect(models).toBeGreaterThan(100);
  }, 300_000);
});
