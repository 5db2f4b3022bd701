/**
 * `npm run fetch:cifar10`: downloads the official CIFAR-10 binary archive into public/data/, so a
 * local install of ConvScope can load it without the user picking a file, and checks it against
 * the size and MD5 published on https://www.cs.toronto.edu/~kriz/cifar.html. Says plainly when it
 * can't (offline, server error, stalled or damaged download) and exits 1.
 *
 *   npm run fetch:cifar10 [-- --url <archive URL> --out <file>]
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CIFAR10_ARCHIVE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  page: 'https://www.cs.toronto.edu/~kriz/cifar.html',
  bytes: 170_052_171,
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
} as const;

export interface FetchOptions {
  readonly url: string;
  /** Where the archive goes. */
  readonly out: string;
  readonly bytes: number;
  readonly md5: string;
  /** Give up when no byte arrives for this long. */
  readonly stallMs?: number;
  readonly log: (line: string) => void;
  /** A progress line, rewritten in place on a terminal. */
  readonly progress?: (line: string) => void;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Downloads and verifies the archive; resolves to the process's exit code. */
export async function fetchCifar10(options: FetchOptions): Promise<number> {
  const { url, out, log } = options;
  const shown = relative(process.cwd(), out) || out;
  if (existsSync(out)) {
    const existing = await digest(out);
    if (existing.bytes === options.bytes && existing.md5 === options.md5) {
      log(`${shown} is already here and verified (${existing.bytes.toLocaleString('en')} bytes, MD5 ${existing.md5}).`);
      return 0;
    }
    log(
      `${shown} exists but is not the published archive (${existing.bytes.toLocaleString('en')} bytes); downloading it again.`,
    );
  }
  const part = `${out}.part`;
  const stall = new AbortController();
  const stallMs = options.stallMs ?? 30_000;
  let timer = setTimeout(() => stall.abort(), stallMs);
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallMs);
  };
  const cantDownload = (why: string) => {
    log(`Could not download ${url}: ${why}.`);
    log(
      `Download cifar-10-binary.tar.gz yourself from ${CIFAR10_ARCHIVE.page} and save it as ${shown}, ` +
        `or choose the file in ConvScope's Train panel.`,
    );
    return 1;
  };
  try {
    log(`Downloading ${url} …`);
    let response: Response;
    try {
      response = await fetch(url, { signal: stall.signal });
    } catch (error) {
      return cantDownload(stall.signal.aborted ? `no answer in ${stallMs / 1000} s` : networkReason(error));
    }
    if (!response.ok || !response.body)
      return cantDownload(`the server answered ${response.status} ${response.statusText}`.trim());
    mkdirSync(dirname(out), { recursive: true });
    const hash = createHash('md5');
    let got = 0;
    let shownPercent = -1;
    const total = Number(response.headers.get('content-length')) || options.bytes;
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        async function* (source: AsyncIterable<Uint8Array>) {
          for await (const chunk of source) {
            alive();
            hash.update(chunk);
            got += chunk.length;
            const percent = Math.floor((100 * got) / total);
            if (percent !== shownPercent) {
              shownPercent = percent;
              options.progress?.(`${percent}%  ${mb(got)} of ${mb(total)}`);
            }
            yield chunk;
          }
        },
        createWriteStream(part),
      );
    } catch (error) {
      rmSync(part, { force: true });
      const why = stall.signal.aborted ? `no data for ${stallMs / 1000} s` : networkReason(error);
      return cantDownload(`the download stopped after ${mb(got)} (${why})`);
    }
    const md5 = hash.digest('hex');
    if (got !== options.bytes || md5 !== options.md5) {
      rmSync(part, { force: true });
      log(
        `The downloaded file is not the published archive: ${got.toLocaleString('en')} bytes with MD5 ${md5}, ` +
          `expected ${options.bytes.toLocaleString('en')} bytes with MD5 ${options.md5} (${CIFAR10_ARCHIVE.page}). ` +
          `Nothing was saved; try again, or download it by hand.`,
      );
      return 1;
    }
    renameSync(part, out);
    log(`Saved ${shown}: ${got.toLocaleString('en')} bytes, MD5 ${md5} as published.`);
    return 0;
  } finally {
    clearTimeout(timer);
  }
}

/** A network failure in words: Node's fetch hides the reason in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `its host name does not resolve (offline? ${cause.code})`;
    case 'ECONNREFUSED':
      return 'the connection was refused (ECONNREFUSED)';
    case 'ECONNRESET':
      return 'the connection was reset (ECONNRESET)';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out (offline or blocked?)';
  }
  const text = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return text.replace(/\.$/, '');
}

async function digest(path: string): Promise<{ bytes: number; md5: string }> {
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, md5: hash.digest('hex') };
}

/** `--url U --out F` over the defaults: the official archive into public/data/. */
export function parseArgs(args: readonly string[]): { url: string; out: string } | string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const result: { url: string; out: string } = {
    url: CIFAR10_ARCHIVE.url,
    out: `${root}public/data/cifar-10-binary.tar.gz`,
  };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined || (flag !== '--url' && flag !== '--out'))
      return `usage: npm run fetch:cifar10 [-- --url <archive URL> --out <file>]`;
    if (flag === '--url') result.url = value;
    else result.out = value;
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    process.exitCode = 2;
  } else {
    const tty = process.stderr.isTTY;
    process.exitCode = await fetchCifar10({
      ...args,
      bytes: CIFAR10_ARCHIVE.bytes,
      md5: CIFAR10_ARCHIVE.md5,
      log: (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`),
      progress: (line) => {
        if (tty) process.stderr.write(`\r\x1b[K${line}`);
        else if (/^\d*0%/.test(line)) process.stderr.write(`${line}\n`);
      },
    });
  }
}
