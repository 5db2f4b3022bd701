import { batcherFor, loadCifar10, loadCifar10FromUrl, loadMnist, mulberry32, synthetic } from './data';
import { DatasetError } from './data/errors';
import type { Batcher } from './loop/train';
import type { DataSource } from './protocol';
import type { Dataset, DatasetId } from './types';

/** Synthetic sets: enough to learn from in a few seconds, enough to test on. */
const SYNTHETIC = { trainCount: 2048, testCount: 512 };

/**
 * The data set a run asked for. Synthetic data takes the model's input size (32×32×3 when open;
 * a sequence model's [T, C] as [1, T, C]) and its number of classes. Progress goes 0 → 1.
 */
export async function loadData(
  source: DataSource,
  need: { readonly shape: readonly (number | null)[]; readonly classes: number },
  progress: (fraction: number, detail: string) => void,
  seed = 1,
): Promise<Dataset> {
  switch (source.dataset) {
    case 'synthetic': {
      const shape = (need.shape.length === 2 ? [1, ...need.shape] : need.shape).map((d, i) => d ?? [32, 32, 3][i] ?? 1);
      progress(1, 'Made the synthetic data set.');
      return synthetic({
        shape: shape as [number, number, number],
        classes: Math.max(2, need.classes),
        seed,
        ...SYNTHETIC,
      });
    }
    case 'mnist': {
      progress(0, 'Loading MNIST…');
      const data = await loadMnist();
      progress(1, `Loaded ${data.name}.`);
      return data;
    }
    case 'cifar10': {
      const report = ({ loadedBytes, totalBytes }: { loadedBytes: number; totalBytes: number | undefined }) =>
        progress(
          totalBytes ? loadedBytes / totalBytes : 0,
          `Reading CIFAR-10: ${(loadedBytes / 2 ** 20).toFixed(0)}${totalBytes ? ` of ${(totalBytes / 2 ** 20).toFixed(0)}` : ''} MB`,
        );
      if (source.file) return loadCifar10(source.file, report);
      if (source.url) return loadCifar10FromUrl(source.url, report);
      throw new DatasetError(
        'CIFAR-10 needs its archive: choose cifar-10-binary.tar.gz (from https://www.cs.toronto.edu/~kriz/cifar.html) or give its address.',
        'read',
      );
    }
  }
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
