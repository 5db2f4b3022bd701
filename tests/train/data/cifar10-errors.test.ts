import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../../src/train/data/cifar10';
import { DatasetError, type DatasetErrorKind } from '../../../src/train/data/errors';
import { archive, cifarSubset, haveSubset, join, record, smallCifar } from './archives';

type Source = Parameters<typeof loadCifar10>[0];

/** The error a load rejects with; fails the test if it loads. */
async function failure(source: Source | Promise<Source>): Promise<DatasetError> {
  const error: unknown = await loadCifar10(await source).then(
    () => new Error('loaded, but should have been rejected'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

async function expectFailure(source: Source | Promise<Source>, kind: DatasetErrorKind, text: RegExp) {
  const error = await failure(source);
  expect(error.kind, error.message).toBe(kind);
  expect(error.message).toMatch(text);
  // For a person: one sentence or three, no stack trace, no "[object …]".
  expect(error.message).not.toMatch(/\n|\bat \S+ \(|\[object/);
}

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);
const random = (n: number, seed = 1) => {
  let s = seed;
  return Uint8Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
};
const one = record(1, () => 0);

describe('a file that is not the CIFAR-10 binary archive gets a clear message', () => {
  it('an empty file', () => expectFailure(new Uint8Array(0), 'empty', /empty \(0 bytes\).*cifar-10-binary\.tar\.gz/));

  it('a PNG image', () => expectFailure(PNG, 'not-an-archive', /This is a PNG image, not a \.tar\.gz archive/));

  it('a web page (a URL that answered with HTML)', () =>
    expectFailure(
      new TextEncoder().encode('<!DOCTYPE html><html><body>Not here</body></html>'),
      'not-an-archive',
      /web page/,
    ));

  it('random bytes', () => expectFailure(random(10_000), 'not-an-archive', /unknown kind.*cifar-10-binary\.tar\.gz/));

  it('a gzip file that holds no tar archive', () =>
    expectFailure(new Uint8Array(gzipSync(random(50_000))), 'not-an-archive', /gzip file holds no tar archive/));

  it('a random .tar.gz, naming what it holds', () =>
    expectFailure(
      archive({ 'holiday/beach.jpg': random(2000), 'holiday/notes.txt': 'sun' }),
      'wrong-layout',
      /No test_batch\.bin.*2 files: holiday\/beach\.jpg, holiday\/notes\.txt.*data_batch_1\.bin/,
    ));

  it('the Python (pickle) version of CIFAR-10', () =>
    expectFailure(
      archive({ 'cifar-10-batches-py/data_batch_1': random(100), 'cifar-10-batches-py/batches.meta': random(10) }),
      'wrong-layout',
      /Python \(pickle\) version.*cifar-10-binary\.tar\.gz/,
    ));

  it('CIFAR-100', () =>
    expectFailure(archive({ 'cifar-100-binary/train.bin': random(3074) }), 'wrong-layout', /CIFAR-100, not CIFAR-10/));

  it('one batch file on its own, not the archive', () =>
    expectFailure(join([one, one, one]), 'not-an-archive', /one CIFAR-10 batch/));

  it('a batch that is not whole records', () =>
    expectFailure(
      archive({ 'b/data_batch_1.bin': one, 'b/test_batch.bin': random(3000) }),
      'bad-records',
      /test_batch\.bin is 3,000 bytes, not a whole number of CIFAR-10 records/,
    ));

  it('a label outside 0–9', () =>
    expectFailure(
      archive({ 'b/data_batch_1.bin': join([one, record(12, () => 0)]), 'b/test_batch.bin': one }),
      'bad-records',
      /Record 2 of b\/data_batch_1\.bin has label 12; CIFAR-10 labels are 0–9/,
    ));

  it('a test batch without training batches, and a class list of the wrong length', async () => {
    await expectFailure(archive({ 'b/test_batch.bin': one }), 'wrong-layout', /No training batch/);
    await expectFailure(
      archive({ 'b/batches.meta.txt': 'cat\ndog\n', 'b/data_batch_1.bin': one, 'b/test_batch.bin': one }),
      'wrong-layout',
      /lists 2 class names; CIFAR-10 has 10/,
    );
  });

  it('a failing source (a download cut off by the network)', async () => {
    const bytes = await smallCifar(1, 10);
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new TypeError('network error'));
        controller.enqueue(bytes.subarray(0, 5000));
        sent = true;
      },
    });
    await expectFailure(stream, 'read', /Reading the file failed after 5\.0 kB: network error/);
  });
});

if (!haveSubset) console.warn(`CIFAR-10 subset damage checks skipped: ${cifarSubset} is missing.`);

describe('a damaged archive is rejected, wherever the damage', () => {
  it('cut short at any point, gzipped or not', async () => {
    for (const gzip of [true, false]) {
      const bytes = await smallCifar(2, 6, gzip);
      for (let i = 1; i < 24; i++) {
        const cut = Math.floor((bytes.length * i) / 24);
        const error = await failure(bytes.subarray(0, cut));
        expect(error.kind, `${gzip ? 'gzip' : 'tar'} cut at ${cut}: ${error.message}`).toBe('truncated');
        expect(error.message).toMatch(/ends early.*cut short/);
      }
    }
  });

  it('bytes changed in the compressed data: the CRC or the records catch it', async () => {
    const bytes = await smallCifar(2, 6);
    // Past the gzip header's unchecked time and OS fields (bytes 4–9).
    for (let i = 1; i < 24; i++) {
      const damaged = bytes.slice();
      const at = 10 + Math.floor(((damaged.length - 10) * i) / 24);
      for (let k = 0; k < 4 && at + k < damaged.length; k++) damaged[at + k]! ^= 0x5a;
      const error = await failure(damaged);
      expect(['corrupt', 'bad-records']).toContain(error.kind);
    }
  });

  it.skipIf(!haveSubset)('the shared subset cut in half, or changed near its end', async () => {
    const bytes = new Uint8Array(readFileSync(cifarSubset));
    await expectFailure(
      bytes.subarray(0, bytes.length >> 1),
      'truncated',
      /ends early while reading .*test_batch\.bin: the file stops after 28\.9 MB/,
    );
    const damaged = bytes.slice();
    damaged[damaged.length - 5000]! ^= 1;
    await expectFailure(damaged, 'corrupt', /corrupt.*Download it again/);
  });
});
