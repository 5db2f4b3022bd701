import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWithThreads, threadsFor, wasmLayout } from '../../../src/train/backend/wasm/threads';

/** A worker's navigator: hardwareConcurrency is a getter on the prototype, as in browsers. */
function stubNavigator(cores: number) {
  const proto = {
    get hardwareConcurrency() {
      return cores;
    },
  };
  vi.stubGlobal('navigator', Object.create(proto));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WASM threads', () => {
  it('uses every core up to four, then one per two logical cores, at most the pool of 8', () => {
    const table = [1, 2, 3, 4, 6, 8, 12, 16, 32].map((cores) => [cores, threadsFor(cores)]);
    expect(table).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [6, 4],
      [8, 4],
      [12, 6],
      [16, 8],
      [32, 8],
    ]);
    expect(threadsFor(Number.NaN)).toBe(1);
  });

  it('runs 2 workers, with threads in each only where the page is cross-origin isolated, saying why not more', () => {
    vi.stubGlobal('Worker', class {});
    const at = (cores: number, isolated: boolean) => {
      stubNavigator(cores);
      vi.stubGlobal('crossOriginIsolated', isolated);
      return wasmLayout();
    };
    expect(at(2, false)).toEqual({ workers: 2, threads: 1, note: '2 workers, one thread each' });
    expect(at(2, true)).toEqual({ workers: 2, threads: 1, note: '2 workers, one thread each' });
    expect(at(4, true)).toEqual({ workers: 2, threads: 2, note: '2 workers × 2 threads' });
    expect(at(16, true)).toEqual({ workers: 2, threads: 4, note: '2 workers × 4 threads' });
    expect(at(4, false)).toEqual({
      workers: 2,
      threads: 1,
      note: '2 workers, one thread each: more threads need a cross-origin isolated page',
    });
    expect(at(1, true)).toEqual({ workers: 1, threads: 1, note: 'one thread: this machine has one core' });
    // Helpers and threads are workers the training worker starts.
    stubNavigator(8);
    vi.stubGlobal('Worker', undefined);
    expect(wasmLayout()).toEqual({
      workers: 1,
      threads: 1,
      note: 'one thread: this browser cannot start workers from the training worker',
    });
  });

  it('runs the layout asked for, within bounds, and never threads in a page that is not isolated', () => {
    vi.stubGlobal('Worker', class {});
    stubNavigator(2);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(wasmLayout({ workers: 1, threads: 2 })).toEqual({
      workers: 1,
      threads: 2,
      note: '2 threads: as the address asks',
    });
    expect(wasmLayout({ workers: 9, threads: 0 })).toEqual({
      workers: 4,
      threads: 1,
      note: '4 workers, one thread each: as the address asks',
    });
    vi.stubGlobal('crossOriginIsolated', false);
    expect(wasmLayout({ workers: 1, threads: 2 })).toEqual({
      workers: 1,
      threads: 1,
      note: 'one thread: this page is not cross-origin isolated, which WASM threads need',
    });
  });

  it('lets the package size its pool for the threads wanted while it starts, then shows the real core count', async () => {
    stubNavigator(2);
    // The package sizes the pool to at most hardwareConcurrency / 2: 1 on this 2-core machine.
    const seen = await startWithThreads(2, async () => navigator.hardwareConcurrency / 2);
    expect(seen).toBe(2);
    expect(navigator.hardwareConcurrency).toBe(2);
    // Also after a failed start.
    await expect(
      startWithThreads(2, async () => {
        throw new Error('no start');
      }),
    ).rejects.toThrow('no start');
    expect(navigator.hardwareConcurrency).toBe(2);
    // One thread: nothing to change.
    expect(await startWithThreads(1, async () => navigator.hardwareConcurrency)).toBe(2);
  });
});
