import { batcherFor, loadCifar10, loadCifar10FromUrl, loadMnist, mulberry32, synthetic } from './data';
import type { LoadProgress } from './data/byte-source';
import { DatasetError, formatAddress, formatBytes } from './data/errors';
import type { Batcher } from './loop/train';
import type { DataSource } from './protocol';
import type { Dataset, DatasetId } from './types';

/** Synthetic sets: enough to learn from in a few seconds, enough to test on. */
export const SYNTHETIC = { trainCount: 2048, testCount: 512 };

/** Where loading the data set is, for the Train panel: words, and the numbers behind its bar. */
export interface DataProgress {
  readonly detail: string;
  /** 0–1, when the size is known. */
  readonly progress?: number;
  /** Bytes read so far and the whole, when a file or download is read. */
  readonly loaded?: number;
  readonly total?: number;
}

export interface LoadDataOptions {
  /** Ends the load (a download with its connection); it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Give up a download after this long without data (download.ts' STALL_MS unless given). */
  readonly stallMs?: number;
  readonly seed?: number;
}

/**
 * The data set a run asked for. Synthetic data takes the model's input size (32×32×3 when open;
 * a sequence model's [T, C] as [1, T, C]) and its number of classes. Progress goes 0 → 1.
 */
export async function loadData(
  source: DataSource,
  need: { readonly shape: readonly (number | null)[]; readonly classes: number },
  progress: (report: DataProgress) => void,
  { signal, stallMs, seed = 1 }: LoadDataOptions = {},
): Promise<Dataset> {
  switch (source.dataset) {
    case 'synthetic': {
      const shape = (need.shape.length === 2 ? [1, ...need.shape] : need.shape).map((d, i) => d ?? [32, 32, 3][i] ?? 1);
      progress({ detail: 'Made the synthetic data set.', progress: 1 });
      return synthetic({
        shape: shape as [number, number, number],
        classes: Math.max(2, need.classes),
        seed,
        ...SYNTHETIC,
      });
    }
    case 'mnist': {
      progress({ detail: 'Loading MNIST…', progress: 0 });
      const data = await loadMnist();
      progress({ detail: `Loaded ${data.name}.`, progress: 1 });
      return data;
    }
    case 'cifar10': {
      const report = byteProgress(source.url ?? null, progress);
      if (source.file) return loadCifar10(source.file, report, signal ? { signal } : {});
      if (source.url)
        return loadCifar10FromUrl(source.url, report, {
          ...(signal ? { signal } : {}),
          ...(stallMs ? { stallMs } : {}),
        });
      throw new DatasetError(
        'CIFAR-10 needs its archive: choose cifar-10-binary.tar.gz (from https://www.cs.toronto.edu/~kriz/cifar.html) or give its address.',
        'read',
      );
    }
  }
}

/** A file's or a download's progress goes to the page at most this often (its first and last always). */
export const PROGRESS_MS = 250;

/**
 * CIFAR-10's byte counts as the Train panel words them, at most one report per PROGRESS_MS:
 * "Downloading CIFAR-10 from URL — waiting for the server…", "…: 1.2 MB of 170.1 MB (1%)", or
 * "Reading CIFAR-10: …" for a file. `url` is null for a file.
 */
export function byteProgress(
  url: string | null,
  send: (report: DataProgress) => void,
  now: () => number = () => performance.now(),
): (progress: LoadProgress) => void {
  let last = -Infinity;
  const what = url === null ? 'Reading CIFAR-10' : `Downloading CIFAR-10 from ${formatAddress(url)}`;
  return ({ loadedBytes: loaded, totalBytes: total, phase }) => {
    const time = now();
    const edge = phase !== 'reading' || loaded === 0 || loaded === total;
    if (!edge && time - last < PROGRESS_MS) return;
    last = time;
    if (phase === 'waiting') return send({ detail: `${what} — waiting for the server…`, loaded: 0 });
    const fraction = total ? Math.min(1, loaded / total) : undefined;
    const amount = total
      ? `${formatBytes(loaded)} of ${formatBytes(total)} (${Math.floor((fraction ?? 0) * 100)}%)`
      : `${formatBytes(loaded)} so far`;
    send({
      detail: `${what}: ${amount}`,
      loaded,
      ...(total ? { total } : {}),
      ...(fraction !== undefined ? { progress: fraction } : {}),
    });
  };
}

/** What augmentation does to each data set: the Train form says it in these words. */
export const AUGMENTATION: Readonly<Record<DatasetId, string>> = {
  cifar10: 'random crops (4-pixel padding) and horizontal flips, as He et al.',
  mnist: 'random shifts of up to 2 pixels (no flips: a mirrored digit is another shape)',
  synthetic: 'random shifts of up to 4 pixels (no flips: they would change the stripes’ angle, the class)',
};

/**
 * Batches for the loop. CIFAR-10 gets He et al.'s crops of 4-pixel padding and flips; digits
 * and the synthetic stripes are shifted but never mirrored (that changes their class); images
 * of a few pixels and sequences are left alone.
 */
export function batcher(data: Dataset, seed = 1): Batcher {
  const [h, w] = data.shape;
  const image = h > 8 && w > 8;
  const crop = !image ? 0 : data.id === 'mnist' ? 2 : 4;
  return batcherFor(data, { crop, flip: image && data.id === 'cifar10' }, mulberry32(seed));
}
