/**
 * Share-link benchmark (`npm run bench:link`), in Chromium on the dev server: how long opening
 * the worst `#m=` links blocks the tab, `modelFromHash` timed in the page, and the length
 * pre-scan alone (median and range of 7).
 * - a 53 KB bomb (lz-string alone would build 263 MB): refused by the length pre-scan;
 * - a bomb just under 16 MB: the pre-scan, then lz-string building 16 MB, then JSON.parse failing;
 * - a valid model padded to just under 16 MB: the whole read;
 * - a 2 MB link (the longest read) of new characters: the longest pre-scan, then lz-string;
 * - 2 MB of random link characters: damaged at once.
 */
import { createRequire } from 'node:module';
import type * as LzString from 'lz-string';
import type { Page } from 'playwright-core';
import { MAX_MODEL_BYTES } from '../../src/io/read-model';
import type * as LzLength from '../../src/io/lz-length';
import type * as ShareUrl from '../../src/io/share-url';
import { presetModel } from '../../src/presets';
import { toProjectFile } from '../../src/io/project/format';
import { launchBrowser, startApp } from '../e2e/harness';
import { encodeLz, lzBomb, URI_SAFE_CHARS, type LzOp } from '../io/lz-codes';

// lz-string is CommonJS; Node's ESM loader sees no named exports in it.
const lz = createRequire(import.meta.url)('lz-string') as typeof LzString;
const decompressedLength = (packed: string) => lz.decompressFromEncodedURIComponent(packed)?.length;

const range = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms (${s[0]!.toFixed(1)}–${s.at(-1)!.toFixed(1)})`;
};

/**
 * ResNet-20's file padded with spaces to exactly 16 MB, as a link (lz-string's own compressor
 * takes minutes on 16 MB): its characters as literals, then the spaces as a run of growing
 * entries, then the closing brace.
 */
function paddedModelLink(): string {
  const json = JSON.stringify(toProjectFile(presetModel('resnet20-a')));
  const spaces = MAX_MODEL_BYTES - json.length;
  let grows = 0;
  while (((grows + 2) * (grows + 3)) / 2 <= spaces) grows++;
  const literal = (c: string): LzOp => ({ char: c.charCodeAt(0) });
  const ops: LzOp[] = [...json.slice(1, -1)].map(literal);
  ops.push(literal(' '), ...Array<LzOp>(grows).fill({ grow: true }));
  for (let i = ((grows + 1) * (grows + 2)) / 2; i < spaces; i++) ops.push(literal(' '));
  ops.push(literal('}'));
  return encodeLz(json.charCodeAt(0), ops);
}

/** The longest link read, 2 MB, whole: new 16-bit characters, each a literal code (about 37 bits). */
function longestLink(): string {
  const ops: LzOp[] = [];
  for (let i = 0; i < 370_000; i++) ops.push({ char: 256 + (i % 60_000) });
  let link = encodeLz(97, ops);
  while (link.length > 2 * 2 ** 20) {
    ops.length -= 200;
    link = encodeLz(97, ops);
  }
  return link;
}

let seed = 1;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 64;

const made = performance.now();
const links: [string, string][] = [
  ['53 KB bomb (263 MB if built)', lzBomb(23_500)],
  ['bomb just under 16 MB', lzBomb(5791)],
  ['valid model padded to 16 MB', paddedModelLink()],
  ['longest link, new characters', longestLink()],
  [
    '2 MB of random link characters',
    Array.from({ length: 2 * 2 ** 20 }, () => URI_SAFE_CHARS[Math.floor(random())]).join(''),
  ],
];

if (decompressedLength(links[2]![1]) !== MAX_MODEL_BYTES) throw new Error('the padded model is not 16 MB');
console.log(`(links made in ${((performance.now() - made) / 1000).toFixed(1)} s)`);

/** modelFromHash on the link in the page, and the length pre-scan alone, 7 times each. */
async function timeInPage(page: Page, packed: string) {
  return page.evaluate(async (packed) => {
    // Served by Vite's dev server as modules of the page.
    const paths = ['/src/io/share-url.ts', '/src/io/lz-length.ts'];
    const { modelFromHash } = (await import(/* @vite-ignore */ paths[0]!)) as typeof ShareUrl;
    const { lzStringLength } = (await import(/* @vite-ignore */ paths[1]!)) as typeof LzLength;
    const ms: number[] = [];
    const scanMs: number[] = [];
    let result = '';
    for (let i = 0; i < 7; i++) {
      let start = performance.now();
      const read = modelFromHash(`#m=${packed}`);
      ms.push(performance.now() - start);
      start = performance.now();
      lzStringLength(packed, 16 * 2 ** 20);
      scanMs.push(performance.now() - start);
      result = read === undefined ? 'nothing' : read.ok ? `a model of ${read.model.layers.length} layers` : read.error;
    }
    return { ms, scanMs, result };
  }, packed);
}

const { url, server } = await startApp();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(url, { timeout: 180_000 });
  await page.locator('.rows').first().waitFor();
  console.log('Opening a share link in Chromium: modelFromHash, 7 runs each\n');
  for (const [name, packed] of links) {
    const { ms, scanMs, result } = await timeInPage(page, packed);
    console.log(`${name.padEnd(32)} ${(packed.length / 1024).toFixed(0).padStart(5)} KB link  ${range(ms)}`);
    console.log(`${''.padEnd(32)} of which the length pre-scan: ${range(scanMs)}`);
    console.log(`${''.padEnd(32)} → ${result.slice(0, 100)}\n`);
  }
} finally {
  await browser.close();
  await server.close();
}
