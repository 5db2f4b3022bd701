import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { packTar } from 'modern-tar';

/** The shared CIFAR-10 subset beside the project (see ../shared/data/README.md), or $CONVSCOPE_CIFAR10. */
export const cifarSubset =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));
export const haveSubset = existsSync(cifarSubset);

/**
 * A record in the official layout, made by hand: label, then the red, green and blue planes,
 * each row-major 32×32, with pixel (y, x) of channel c given by `pixel(c, y, x)`.
 */
export function record(label: number, pixel: (c: number, y: number, x: number) => number): Uint8Array {
  const bytes = new Uint8Array(3073);
  bytes[0] = label;
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) bytes[1 + c * 1024 + y * 32 + x] = pixel(c, y, x);
  return bytes;
}

export const join = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/**
 * A tar (gzipped unless `gzip: false`) of the given files, in order. Every entry has the same
 * fixed time, so an archive is the same bytes on every run (with the clock's time, its gzipped
 * size changed from run to run, and a test that named its size failed now and then).
 */
export async function archive(files: Record<string, Uint8Array | string>, gzip = true): Promise<Uint8Array> {
  const mtime = new Date(Date.UTC(2009, 0, 1));
  const entries = Object.entries(files).map(([name, body]) => ({
    header: { name, mtime, size: typeof body === 'string' ? new TextEncoder().encode(body).length : body.length },
    body,
  }));
  const tar = await packTar(entries);
  return gzip ? new Uint8Array(gzipSync(tar)) : tar;
}

export const META = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n';

/** A small archive in the official layout: `perBatch` records in each of `batches` training batches and the test batch. */
export async function smallCifar(batches = 1, perBatch = 5, gzip = true): Promise<Uint8Array> {
  // Noise pixels (a linear congruential generator), so the archive compresses as little as a real one.
  let state = 12345;
  const noise = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  const batch = (seed: number) => join(Array.from({ length: perBatch }, (_, i) => record((seed + i) % 10, noise)));
  const files: Record<string, Uint8Array | string> = { 'cifar-10-batches-bin/batches.meta.txt': META };
  for (let b = 1; b <= batches; b++) files[`cifar-10-batches-bin/data_batch_${b}.bin`] = batch(b);
  files['cifar-10-batches-bin/test_batch.bin'] = batch(0);
  return archive(files, gzip);
}

/** Whether two byte arrays are equal (vitest's toEqual walks big typed arrays element by element, slowly). */
export const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
