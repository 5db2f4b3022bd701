import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../../src/train/data/byte-source';
import { loadCifar10, loadCifar10FromUrl } from '../../../src/train/data/cifar10';
import { openDownload, resolveArchiveUrl } from '../../../src/train/data/download';
import { DatasetError, formatAddress } from '../../../src/train/data/errors';
import { sameBytes, smallCifar } from './archives';
import { dribble, slowServer, type SlowServer } from './slow-server';

/** A CIFAR-10 archive in the official layout: 2 batches of 40 records and a test batch, about 370 kB. */
let archive: Uint8Array;
let server: SlowServer;
const at = (path: string) => `${server.origin}${path}`;

beforeAll(async () => {
  archive = await smallCifar(2, 40);
  server = await slowServer({
    '/never': () => undefined,
    '/slow': dribble(() => server, archive, { chunk: 32_768, everyMs: 60 }),
    '/slow-unsized': dribble(() => server, archive, { chunk: 32_768, everyMs: 60, length: false }),
    '/stalls': dribble(() => server, archive, { chunk: 10_000, everyMs: 20, stopAfter: 50_000 }),
    '/fast': (_, response) => response.writeHead(200, { 'Content-Length': String(archive.length) }).end(archive),
  });
});
afterAll(() => server.close());

/** The error `start()` rejects with (fails the test if it resolves), and how long that took. */
async function rejection(start: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const begin = Date.now();
  const error = await start().then(
    () => new Error('resolved, but should have been rejected'),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - begin };
}

/** Waits until the server has seen a request for `path` and returns what it saw. */
async function request(path: string) {
  await expect.poll(() => server.seen.some((s) => s.path === path)).toBe(true);
  return server.seen.filter((s) => s.path === path).at(-1)!;
}

describe('downloading CIFAR-10 from an address', () => {
  it('gives up on a server that never answers after the stall time, saying so, and drops the connection', async () => {
    const events: LoadProgress[] = [];
    const { error, ms } = await rejection(() =>
      loadCifar10FromUrl(at('/never'), (p) => events.push(p), { stallMs: 400 }),
    );
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).kind).toBe('stalled');
    expect((error as DatasetError).message).toBe(
      `The CIFAR-10 download stalled: no data for 0.4 s from ${at('/never')} (the server has not answered). ` +
        'Check the connection and start again, or download the file yourself and choose it.',
    );
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(3000);
    // The page heard that it waits for the server before anything came.
    expect(events).toEqual([{ loadedBytes: 0, totalBytes: undefined, phase: 'waiting' }]);
    await expect.poll(async () => (await request('/never')).closedAt).not.toBeNull();
  });

  it('ends at once when aborted while waiting, with the signal’s reason, and drops the connection', async () => {
    const abort = new AbortController();
    const loading = loadCifar10FromUrl(at('/never'), undefined, { signal: abort.signal, stallMs: 60_000 });
    const seen = await request('/never');
    const stop = new DOMException('Stopped', 'AbortError');
    abort.abort(stop);
    const { error, ms } = await rejection(() => loading);
    expect(error).toBe(stop);
    expect(ms).toBeLessThan(200);
    await expect.poll(() => seen.closedAt).not.toBeNull();
  });

  it('ends at once when aborted halfway through the body', async () => {
    const abort = new AbortController();
    const loading = loadCifar10FromUrl(
      at('/slow'),
      (p) => p.loadedBytes > 100_000 && abort.abort(new Error('user stopped')),
      { signal: abort.signal },
    );
    const { error } = await rejection(() => loading);
    expect((error as Error).message).toBe('user stopped');
    const seen = await request('/slow');
    await expect.poll(() => seen.closedAt).not.toBeNull();
  });

  it('gives up on a body that stops halfway, saying how much came of how much', async () => {
    const { error } = await rejection(() => loadCifar10FromUrl(at('/stalls'), undefined, { stallMs: 400 }));
    expect((error as DatasetError).kind).toBe('stalled');
    expect((error as DatasetError).message).toMatch(
      new RegExp(
        `^The CIFAR-10 download stalled: no data for 0\\.4 s from ${at('/stalls')}, after 50\\.0 kB of ${(archive.length / 1000).toFixed(1)} kB\\. `,
      ),
    );
  });

  it('takes a slow but live download to the end: the stall clock counts each wait, not the whole', async () => {
    for (const path of ['/slow', '/slow-unsized']) {
      const events: LoadProgress[] = [];
      const start = Date.now();
      // Every chunk comes 60 ms after the last; the whole takes far longer than the stall time.
      const data = await loadCifar10FromUrl(at(path), (p) => events.push(p), { stallMs: 300 });
      expect(Date.now() - start).toBeGreaterThan(300);
      expect(sameBytes(data.train.images, (await loadCifar10(archive)).train.images)).toBe(true);
      const reading = events.filter((e) => e.phase === 'reading');
      expect(events[0]?.phase).toBe('waiting');
      expect(reading.length).toBeGreaterThan(5);
      const loaded = reading.map((e) => e.loadedBytes);
      expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
      // With a Content-Length the total is known from the start; without, only at the end.
      expect(reading.at(-1)?.totalBytes).toBe(path === '/slow' ? archive.length : undefined);
      expect(events.at(-1)).toEqual({ loadedBytes: archive.length, totalBytes: archive.length, phase: 'done' });
    }
  });

  it('does not count the reader’s own pauses as a stall', async () => {
    const download = await openDownload(at('/fast'), { stallMs: 150 });
    const reader = download.stream.getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(bytes).toBe(archive.length);
    expect(download.signal.aborted).toBe(false);
  });

  it('gives up on a body that never comes even when fetch ignores its signal, and cancels it', async () => {
    let cancelled: unknown = null;
    const body = new ReadableStream<Uint8Array>({ cancel: (why) => void (cancelled = why) });
    const fetch = async () => new Response(body, { headers: { 'content-length': '1000' } });
    const { error } = await rejection(() =>
      loadCifar10FromUrl('https://example.org/c.tar.gz', undefined, { stallMs: 100, fetch }),
    );
    expect((error as DatasetError).message).toMatch(
      /^The CIFAR-10 download stalled: no data for 0\.1 s from https:\/\/example\.org\/c\.tar\.gz, after 0 bytes of 1\.0 kB\./,
    );
    expect(cancelled).toBe(error);
  });

  it('fails a pending read with the abort’s reason, never a quiet early end', async () => {
    // Aborted as the read is asked for, and once it waits on the network.
    for (const wait of [0, 20]) {
      const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array(10)) });
      const abort = new AbortController();
      const download = await openDownload('https://example.org/c.tar.gz', {
        signal: abort.signal,
        fetch: async () => new Response(body),
      });
      const reader = download.stream.getReader();
      expect((await reader.read()).value).toHaveLength(10);
      const pending = reader.read();
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      const reason = new Error(`stopped after ${wait} ms`);
      abort.abort(reason);
      await expect(pending).rejects.toBe(reason);
    }
  });

  it('says what the server answered, and when it can’t be reached', async () => {
    const missing = await rejection(() => loadCifar10FromUrl(at('/missing')));
    expect((missing.error as DatasetError).message).toBe(
      `Could not download ${at('/missing')}: the server answered 404 Not Found.`,
    );
    const refused = await rejection(() => loadCifar10FromUrl('http://127.0.0.1:9/cifar.tar.gz'));
    expect((refused.error as DatasetError).kind).toBe('read');
    expect((refused.error as DatasetError).message).toMatch(
      /^Could not download http:\/\/127\.0\.0\.1:9\/cifar\.tar\.gz: /,
    );
  });
});

describe('the address of the archive', () => {
  const app = 'https://example.org/tools/convscope/index.html?embed=1#m=abc';
  it.each([
    ['data/cifar-10-binary.tar.gz', 'https://example.org/tools/convscope/data/cifar-10-binary.tar.gz'],
    ['/x/cifar.tar.gz', 'https://example.org/x/cifar.tar.gz'],
    ['../c.tar.gz', 'https://example.org/tools/c.tar.gz'],
    ['  data/c.tar.gz ', 'https://example.org/tools/convscope/data/c.tar.gz'],
    ['https://cdn.example.com/c.tar.gz', 'https://cdn.example.com/c.tar.gz'],
    ['//cdn.example.com/c.tar.gz', 'https://cdn.example.com/c.tar.gz'],
  ])('%s is resolved against the app’s address', (text, url) => {
    expect(resolveArchiveUrl(text, app)).toEqual({ ok: true, url });
  });

  it.each([
    ['javascript:alert(1)', /is a javascript: address; .* http or https only/],
    ['file:///etc/passwd', /is a file: address/],
    ['http://[::1', /is not an address the CIFAR-10 archive can be downloaded from/],
  ])('%s is refused, saying why', (text, why) => {
    const resolved = resolveArchiveUrl(text, app);
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.error).toMatch(why);
  });

  it('is shown without a password, and shortened in the middle when long', () => {
    expect(formatAddress('https://me:secret@example.org/c.tar.gz')).toBe('https://example.org/c.tar.gz');
    const long = `https://example.org/${'a'.repeat(500)}/cifar.tar.gz`;
    const shown = formatAddress(long);
    expect(shown).toHaveLength(119);
    expect(shown).toMatch(/^https:\/\/example\.org\/a+…a+\/cifar\.tar\.gz$/);
  });
});
