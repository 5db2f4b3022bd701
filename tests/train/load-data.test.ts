import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/train/data/byte-source';
import { byteProgress, PROGRESS_MS, type DataProgress } from '../../src/train/load-data';

/** Feeds `events` to byteProgress at the given times (ms) and returns what it sent on. */
function sent(url: string | null, events: readonly [number, LoadProgress][]): DataProgress[] {
  const out: DataProgress[] = [];
  let now = 0;
  const report = byteProgress(
    url,
    (p) => out.push(p),
    () => now,
  );
  for (const [time, event] of events) {
    now = time;
    report(event);
  }
  return out;
}

const reading = (loadedBytes: number, totalBytes?: number): LoadProgress => ({
  loadedBytes,
  totalBytes,
  phase: 'reading',
});

describe('CIFAR-10 progress as the Train panel shows it', () => {
  it('says it waits for the server, then bytes of the total and the percentage', () => {
    const url = 'http://127.0.0.1:8080/data/cifar.tar.gz';
    expect(
      sent(url, [
        [0, { loadedBytes: 0, totalBytes: undefined, phase: 'waiting' }],
        [5000, reading(0, 57_778_080)],
        [5300, reading(12_345_678, 57_778_080)],
        [9000, { loadedBytes: 57_778_080, totalBytes: 57_778_080, phase: 'done' }],
      ]),
    ).toEqual([
      { detail: `Downloading CIFAR-10 from ${url} — waiting for the server…`, loaded: 0 },
      {
        detail: `Downloading CIFAR-10 from ${url}: 0 bytes of 57.8 MB (0%)`,
        loaded: 0,
        total: 57_778_080,
        progress: 0,
      },
      {
        detail: `Downloading CIFAR-10 from ${url}: 12.3 MB of 57.8 MB (21%)`,
        loaded: 12_345_678,
        total: 57_778_080,
        progress: 12_345_678 / 57_778_080,
      },
      {
        detail: `Downloading CIFAR-10 from ${url}: 57.8 MB of 57.8 MB (100%)`,
        loaded: 57_778_080,
        total: 57_778_080,
        progress: 1,
      },
    ]);
  });

  it('counts bytes alone when the server gives no length, and says “Reading” for a file', () => {
    expect(sent('https://example.org/c.tar.gz', [[0, reading(2_500_000)]])).toEqual([
      { detail: 'Downloading CIFAR-10 from https://example.org/c.tar.gz: 2.5 MB so far', loaded: 2_500_000 },
    ]);
    expect(sent(null, [[0, reading(1000, 4000)]])[0]?.detail).toBe('Reading CIFAR-10: 1.0 kB of 4.0 kB (25%)');
  });

  it(`goes out at most once per ${PROGRESS_MS} ms, and always the first and the last`, () => {
    const total = 10_000_000;
    // A report every 10 ms for 3 s, as a fast download would give.
    const events: [number, LoadProgress][] = Array.from({ length: 300 }, (_, i) => [
      i * 10,
      reading(i * 30_000, total),
    ]);
    events.push([3000, reading(total, total)], [3001, { loadedBytes: total, totalBytes: total, phase: 'done' }]);
    const out = sent('http://h/c.tar.gz', events);
    expect(out.length).toBeLessThanOrEqual(3000 / PROGRESS_MS + 3);
    expect(out.length).toBeGreaterThanOrEqual(3000 / PROGRESS_MS);
    expect(out[0]?.loaded).toBe(0);
    expect(out.at(-2)?.loaded).toBe(total);
    expect(out.at(-1)?.progress).toBe(1);
  });
});
