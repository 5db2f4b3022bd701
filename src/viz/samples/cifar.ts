import type { SampleImage } from './index';
import { CIFAR_IMAGES } from './cifar-images';

export const CIFAR_COUNT = CIFAR_IMAGES.length;

/** CIFAR-10 test image `i` (one per class, in class order) as a 32×32 RGBA picture. */
export function cifarSample(i: number): SampleImage {
  const entry = CIFAR_IMAGES[i] ?? CIFAR_IMAGES[0];
  const planes = Uint8Array.from(atob(entry?.planes ?? ''), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(32 * 32 * 4);
  for (let p = 0; p < 1024; p++) {
    rgba.set([planes[p] ?? 0, planes[1024 + p] ?? 0, planes[2048 + p] ?? 0, 255], p * 4);
  }
  return { label: `CIFAR-10 ${entry?.label ?? 'image'}`, width: 32, height: 32, rgba };
}
