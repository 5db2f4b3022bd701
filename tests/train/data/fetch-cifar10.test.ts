import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_ARCHIVE, fetchCifar10 } from '../../../src/cli/fetch-cifar10';

/** `npm run fetch:cifar10`, against a server on this machine standing in for the CIFAR-10 site. */
const body = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
const md5 = createHash('md5').update(body).digest('hex');
let server: Server;
let base = '';
let requests = 0;
const dir = mkdtempSync(join(tmpdir(), 'convscope-fetch-'));

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    if (request.url === '/archive.tar.gz') {
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    } else if (request.url === '/stalls') {
      response.writeHead(200, { 'content-length': body.length });
      response.write(body.subarray(0, 1000)); // and nothing more
    } else {
      response.writeHead(404, 'Not Found');
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(url: string, out: string, expected = { bytes: body.length, md5 }, stallMs = 2000) {
  const lines: string[] = [];
  const done = fetchCifar10({ url, out, ...expected, stallMs, log: (line) => lines.push(line) });
  return done.then((code) => ({ code, text: lines.join('\n') }));
}

describe('fetch:cifar10', () => {
  it('publishes the official archive’s size and MD5', () => {
    expect(CIFAR10_ARCHIVE).toMatchObject({ bytes: 170_052_171, md5: 'c32a1d4ab5d03f1284b67883e8d87530' });
  });

  it('downloads, verifies and saves; a second run finds it verified without downloading', async () => {
    const out = join(dir, 'data', 'ok.tar.gz');
    const first = await run(`${base}/archive.tar.gz`, out);
    expect(first.code, first.text).toBe(0);
    expect(first.text).toMatch(/Saved .*300,000 bytes, MD5 [0-9a-f]{32} as published/);
    expect(createHash('md5').update(readFileSync(out)).digest('hex')).toBe(md5);
    const before = requests;
    const second = await run(`${base}/archive.tar.gz`, out);
    expect(second.code).toBe(0);
    expect(second.text).toMatch(/already here and verified/);
    expect(requests).toBe(before);
  });

  it('refuses a file that is not the published one and keeps nothing', async () => {
    const out = join(dir, 'wrong.tar.gz');
    const result = await run(`${base}/archive.tar.gz`, out, { bytes: CIFAR10_ARCHIVE.bytes, md5: CIFAR10_ARCHIVE.md5 });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(
      /not the published archive: 300,000 bytes .* expected 170,052,171 bytes with MD5 c32a1d4a/,
    );
    expect(existsSync(out) || existsSync(`${out}.part`)).toBe(false);
  });

  it('says why it can’t: an HTTP error, a refused connection, an unknown host, a stalled download', async () => {
    const out = join(dir, 'never.tar.gz');
    const notFound = await run(`${base}/missing`, out);
    expect(notFound.text).toMatch(/Could not download .*: the server answered 404 Not Found\./);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    expect((await run(`http://127.0.0.1:${port}/x`, out)).text).toMatch(/connection was refused/);
    // .invalid never resolves (RFC 2606), online or off.
    expect((await run('http://cifar.invalid/cifar-10-binary.tar.gz', out)).text).toMatch(/does not resolve|timed out/);
    const stalled = await run(`${base}/stalls`, out, { bytes: body.length, md5 }, 300);
    expect(stalled.code).toBe(1);
    expect(stalled.text).toMatch(/download stopped after 0\.0 MB \(no data for 0\.3 s\)/);
    for (const result of [notFound, stalled])
      expect(result.text).toMatch(/cifar\.html and save it as .*never\.tar\.gz/);
    expect(existsSync(out) || existsSync(`${out}.part`)).toBe(false);
  });

  it('as a command: exit status 1 and the reason on stderr', async () => {
    const out = join(dir, 'cli.tar.gz');
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const result = await promisify(execFile)(tsx, [
      'src/cli/fetch-cifar10.ts',
      '--url',
      `${base}/missing`,
      '--out',
      out,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not download .*404/);
  });
});
