import { openAsBlob, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../../src/train/data/cifar10';
import type { LoadProgress } from '../../../src/train/data/byte-source';
import type { Dataset } from '../../../src/train/types';
import { archive, cifarSubset, haveSubset, join, META, record, sameBytes, smallCifar } from './archives';

/** A stream of `bytes` in chunks of `size`, as a slow download would deliver them. */
const chunked = (bytes: Uint8Array, size: number) => {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
};

describe('CIFAR-10 records (archives made here, in the layout the CIFAR-10 page describes)', () => {
  it('puts the red, green and blue planes of each record into channels-last pixels', async () => {
    // Red = row, green = column, blue = a constant per record: a swapped plane or a
    // channels-first read would put the wrong value at every checked place.
    const records = [3, 7].map((label) => record(label, (c, y, x) => [y * 8, x * 8, 200 + label][c] as number));
    const data = await loadCifar10(
      await archive({ 'd/data_batch_1.bin': join(records), 'd/test_batch.bin': records[0]! }),
    );
    expect(Array.from(data.train.labels)).toEqual([3, 7]);
    for (const n of [0, 1])
      for (const [y, x] of [
        [0, 0],
        [0, 31],
        [31, 0],
        [17, 5],
      ] as const) {
        const at = n * 3072 + (y * 32 + x) * 3;
        expect(Array.from(data.train.images.subarray(at, at + 3))).toEqual([y * 8, x * 8, 200 + [3, 7][n]!]);
      }
    expect(data.shape).toEqual([32, 32, 3]);
  });

  it('joins the training batches in batch order, whatever the archive order, and measures them', async () => {
    const batch = (first: number) => join([0, 1, 2].map((i) => record((first + i) % 10, (c) => first * 10 + i + c)));
    const data = await loadCifar10(
      await archive({
        'cifar-10-batches-bin/data_batch_2.bin': batch(20),
        'cifar-10-batches-bin/test_batch.bin': batch(5),
        'cifar-10-batches-bin/data_batch_1.bin': batch(10),
        'cifar-10-batches-bin/batches.meta.txt': META,
      }),
    );
    expect(data.train.count).toBe(6);
    expect(data.test.count).toBe(3);
    expect(Array.from(data.train.labels)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(data.train.images[0]).toBe(100); // data_batch_1's first record, red
    expect(data.train.images[3 * 3072 + 2]).toBe(202); // data_batch_2's first record, blue
    // Mean and std over every training pixel, computed the slow way.
    for (let c = 0; c < 3; c++) {
      const values = [100, 101, 102, 200, 201, 202].map((v) => (v + c) / 255);
      const mean = values.reduce((a, b) => a + b) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(data.mean[c]).toBeCloseTo(mean, 10);
      expect(data.std[c]).toBeCloseTo(std, 10);
    }
    expect(data.classes).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
  });

  it('reads the class names from batches.meta.txt, and uses the official ones when it is absent', async () => {
    const names = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const records = record(1, () => 9);
    const withMeta = await loadCifar10(
      await archive({ 'x/batches.meta.txt': names, 'x/data_batch_1.bin': records, 'x/test_batch.bin': records }),
    );
    expect(withMeta.classes).toEqual(names.trim().split('\n'));
    const without = await loadCifar10(await archive({ 'x/data_batch_1.bin': records, 'x/test_batch.bin': records }));
    expect(without.classes[8]).toBe('ship');
  });

  it('reads the same archive uncompressed (as some browsers and servers hand it over)', async () => {
    const gz = await loadCifar10(await smallCifar(2, 4));
    const tar = await loadCifar10(await smallCifar(2, 4, false));
    expect(sameBytes(tar.train.images, gz.train.images)).toBe(true);
    expect(sameBytes(tar.test.labels, gz.test.labels)).toBe(true);
    expect(tar.train.count).toBe(8);
  });

  it('decodes as chunks arrive, records split anywhere, and reports progress up to the total', async () => {
    const bytes = await smallCifar(3, 10);
    const whole = await loadCifar10(bytes);
    for (const size of [29, 3073, 4096]) {
      const events: LoadProgress[] = [];
      const data = await loadCifar10(chunked(bytes, size), (p) => events.push(p), { totalBytes: bytes.length });
      expect(sameBytes(data.train.images, whole.train.images)).toBe(true);
      const loaded = events.map((e) => e.loadedBytes);
      expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
      expect(events.length).toBeGreaterThan(size < 4096 ? 25 : 10);
      expect(events.at(-2)).toEqual({ loadedBytes: bytes.length, totalBytes: bytes.length, phase: 'reading' });
      expect(events.at(-1)).toEqual({ loadedBytes: bytes.length, totalBytes: bytes.length, phase: 'done' });
    }
    // A stream of unknown length: no total while reading, the byte count at the end.
    const events: LoadProgress[] = [];
    await loadCifar10(chunked(bytes, 4096), (p) => events.push(p));
    expect(events[0]?.totalBytes).toBeUndefined();
    expect(events.at(-1)).toEqual({ loadedBytes: bytes.length, totalBytes: bytes.length, phase: 'done' });
  });

  it('stops reading when aborted, and rejects with the signal’s reason', async () => {
    const bytes = await smallCifar(3, 20);
    let cancelled = false;
    let at = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 1000));
        at += 1000;
      },
      cancel() {
        cancelled = true;
      },
    });
    const abort = new AbortController();
    const loading = loadCifar10(
      source,
      (p) => p.loadedBytes > 20_000 && abort.abort(new Error('user chose another file')),
      {
        signal: abort.signal,
        totalBytes: bytes.length,
      },
    );
    await expect(loading).rejects.toThrow('user chose another file');
    expect(cancelled).toBe(true);
    expect(at).toBeLessThan(bytes.length);
  });
});

if (!haveSubset)
  console.warn(
    `CIFAR-10 subset checks skipped: ${cifarSubset} is missing (set CONVSCOPE_CIFAR10 to the shared subset).`,
  );

describe.skipIf(!haveSubset)('the shared CIFAR-10 subset', () => {
  let data: Dataset;
  const events: LoadProgress[] = [];
  beforeAll(async () => {
    data = await loadCifar10(await openAsBlob(cifarSubset), (p) => events.push(p));
  });

  it('holds 10,000 training and 10,000 test images, 1,000 of each class in each', () => {
    expect(data.train.count).toBe(10_000);
    expect(data.test.count).toBe(10_000);
    expect(data.train.images.length).toBe(10_000 * 32 * 32 * 3);
    for (const set of [data.train, data.test]) {
      const perClass = new Array<number>(10).fill(0);
      for (const label of set.labels) perClass[label]!++;
      expect(perClass).toEqual(new Array(10).fill(1000));
    }
    expect(data.classes).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
    expect(data.name).toBe('CIFAR-10 (10,000 training images)');
  });

  it('matches an independent decode (zlib and the tar headers read by hand) byte for byte', () => {
    const tar = gunzipSync(readFileSync(cifarSubset));
    const files = new Map<string, Uint8Array>();
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
      const name = tar
        .subarray(at, at + 100)
        .toString('latin1')
        .replace(/\0.*$/s, '');
      const size = parseInt(
        tar
          .subarray(at + 124, at + 136)
          .toString('latin1')
          .trim() || '0',
        8,
      );
      files.set(name.split('/').pop() ?? '', tar.subarray(at + 512, at + 512 + size));
      at += 512 + Math.ceil(size / 512) * 512;
    }
    for (const [file, set] of [
      ['data_batch_1.bin', data.train],
      ['test_batch.bin', data.test],
    ] as const) {
      const raw = files.get(file)!;
      let mismatches = 0;
      for (let r = 0; r < 10_000; r++) {
        if (raw[r * 3073] !== set.labels[r]) mismatches++;
        for (let p = 0; p < 1024; p++)
          for (let c = 0; c < 3; c++)
            if (raw[r * 3073 + 1 + c * 1024 + p] !== set.images[r * 3072 + p * 3 + c]) mismatches++;
      }
      expect(mismatches, file).toBe(0);
    }
  });

  it('has the colours of its classes in the right channels: blue sky and sea, green and brown ground', () => {
    const mean = (label: number, channel: number) => {
      let [sum, n] = [0, 0];
      for (let i = 0; i < data.train.count; i++)
        if (data.train.labels[i] === label) {
          for (let p = 0; p < 1024; p++) sum += data.train.images[i * 3072 + p * 3 + channel]!;
          n += 1024;
        }
      return sum / n / 255;
    };
    const [R, B] = [0, 2];
    const [airplane, deer, frog, ship] = [0, 4, 6, 8];
    for (const blueish of [airplane, ship]) {
      expect(mean(blueish, B) - mean(blueish, R)).toBeGreaterThan(0.03);
      for (const ground of [frog, deer]) expect(mean(blueish, B) - mean(ground, B)).toBeGreaterThan(0.1);
    }
    for (const ground of [frog, deer]) expect(mean(ground, R) - mean(ground, B)).toBeGreaterThan(0.05);
  });

  it('has the per-channel mean and std published for CIFAR-10 training images', () => {
    // (0.4914, 0.4822, 0.4465) and (0.2470, 0.2435, 0.2616), as torchvision recipes use; the
    // subset is a fifth of the training set, re-decoded from JPEG, so within 0.01.
    [0.4914, 0.4822, 0.4465].forEach((m, c) => expect(Math.abs(data.mean[c]! - m)).toBeLessThan(0.01));
    [0.247, 0.2435, 0.2616].forEach((s, c) => expect(Math.abs(data.std[c]! - s)).toBeLessThan(0.01));
  });

  it('reports progress as it streams, up to the file’s size', () => {
    const total = readFileSync(cifarSubset).length;
    expect(events.length).toBeGreaterThan(100);
    expect(events.every((e) => e.totalBytes === total)).toBe(true);
    expect(events.at(-1)).toEqual({ loadedBytes: total, totalBytes: total, phase: 'done' });
  });
});
