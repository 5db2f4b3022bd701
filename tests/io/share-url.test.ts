import { readFileSync } from 'node:fs';
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { toProjectFile } from '../../src/io/project/format';
import {
  decompressLink,
  MAX_LINK_CHARS,
  modelFromHash,
  modelToHash,
  originOption,
  urlOptions,
} from '../../src/io/share-url';
import { presetModel, presets } from '../../src/presets';
import { lzBomb } from './lz-codes';

/** Links as the Share button wrote them before the size check (commit 9f0b6a0). */
const oldLink = (name: string) =>
  readFileSync(new URL(`../fixtures/links/${name}.txt`, import.meta.url), 'utf8').trim();

const TOO_BIG =
  'This link’s model would expand to more than 16 MB; ConvScope stops reading at 16 MB (a model’s JSON is usually well under 1 MB), so the link was not opened.';

describe('share links', () => {
  it('links written before the size check still open, to the same model', () => {
    for (const [name, preset] of [
      ['mnist', 'mnist'],
      ['resnet20-b', 'resnet20-b'],
    ] as const) {
      const read = modelFromHash(oldLink(name));
      if (!read?.ok) throw new Error(read?.error);
      expect(toProjectFile(read.model)).toEqual(toProjectFile(presetModel(preset)));
    }
  });

  it('every built-in model goes through a link and back', () => {
    for (const preset of presets) {
      const model = presetModel(preset.id);
      const read = modelFromHash(modelToHash(model));
      if (!read?.ok) throw new Error(`${preset.id}: ${read?.error}`);
      expect(toProjectFile(read.model)).toEqual(toProjectFile(model));
    }
  });

  it('a 53 KB link that lz-string would expand to 263 MB is refused unbuilt, saying why', () => {
    const bomb = lzBomb(23_500);
    expect(bomb.length).toBeLessThan(54 * 1024);
    expect(modelFromHash(`#m=${bomb}`)).toEqual({ ok: false, error: TOO_BIG });
  });

  it('at 16 MB: a link expanding to just under is read (and found not to be JSON), one just over is refused', () => {
    // n codes of growth expand to (n + 1)(n + 2) / 2 characters: 16,776,528 and 16,782,321.
    expect(modelFromHash(`#m=${lzBomb(5791)}`)).toEqual({
      ok: false,
      error: 'The link’s model is damaged (it may have been cut short when copied).',
    });
    expect(modelFromHash(`#m=${lzBomb(5792)}`)).toEqual({ ok: false, error: TOO_BIG });
  });

  it('reads up to the limit and not one character more', () => {
    const text = 'x'.repeat(5000);
    const packed = compressToEncodedURIComponent(text);
    expect(decompressLink(packed, 5000)).toEqual({ ok: true, text });
    expect(decompressLink(packed, 4999)).toEqual({
      ok: false,
      error:
        'This link’s model would expand to more than 4.9 KB; ConvScope stops reading at 4.9 KB (a model’s JSON is usually well under 1 MB), so the link was not opened.',
    });
  });

  it('a link longer than browsers keep is refused unread', () => {
    const read = modelFromHash(`#m=${'A'.repeat(MAX_LINK_CHARS + 1)}`);
    expect(read).toEqual({
      ok: false,
      error:
        'This link is longer than 2 MB, the most ConvScope reads (browsers cut longer ones), so it was not opened.',
    });
  });

  it('a link cut short, or garbled, is called damaged', () => {
    const link = oldLink('mnist');
    const damaged = { ok: false, error: 'The link’s model is damaged (it may have been cut short when copied).' };
    expect(modelFromHash(link.slice(0, link.length / 2))).toEqual(damaged);
    expect(modelFromHash('#m=$$$$')).toEqual(damaged);
    expect(modelFromHash('#m=w')).toEqual(damaged);
    expect(modelFromHash('#other=1')).toBeUndefined();
  });
});

describe('?origin=', () => {
  it.each([
    ['https://docs.example.org', 'https://docs.example.org'],
    ['https://Docs.Example.org/path/', 'https://docs.example.org'],
    ['HTTP://LOCALHOST:8080/a/b.html?x=1#y', 'http://localhost:8080'],
    ['https://docs.example.org:443/', 'https://docs.example.org'],
    ['http://127.0.0.1:5173', 'http://127.0.0.1:5173'],
    ['  https://docs.example.org  ', 'https://docs.example.org'],
    ['https://user:secret@docs.example.org', 'https://docs.example.org'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('reads %s as the origin %s', (value, origin) => {
    expect(originOption(value)).toEqual({ ok: true, origin });
  });

  it.each(['foo', 'null', '*', '', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://x.org'])(
    'refuses %j, saying what it was given',
    (value) => {
      const read = originOption(value);
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.error).toContain(`?origin=${value}`);
      expect(read.error).toContain('is not a web origin such as https://docs.example.org');
    },
  );

  it('quotes at most 80 characters of a long value', () => {
    const read = originOption(`x${'y'.repeat(10_000)}`);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.length).toBeLessThan(300);
  });

  it('is absent unless the address has it', () => {
    expect(urlOptions('?embed=1').origin).toBeNull();
    expect(urlOptions('?embed=1&origin=https%3A%2F%2FDocs.example.org%2F').origin).toEqual({
      ok: true,
      origin: 'https://docs.example.org',
    });
  });
});
