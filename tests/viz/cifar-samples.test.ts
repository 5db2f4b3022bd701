import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CIFAR_COUNT, cifarSample } from '../../src/viz/samples/cifar';
import { CIFAR_IMAGES } from '../../src/viz/samples/cifar-images';
import { cifarSubset, haveSubset } from '../train/data/archives';

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

describe('CIFAR-10 sample images', () => {
  it('are one per class, in class order, 32×32 colour pictures with real detail', () => {
    expect(CIFAR_COUNT).toBe(10);
    CLASSES.forEach((name, c) => {
      const s = cifarSample(c);
      expect(s.label).toBe(`CIFAR-10 ${name}`);
      const red = Array.from({ length: 1024 }, (_, i) => s.rgba[i * 4] as number);
      expect(new Set(red).size).toBeGreaterThan(40);
    });
  });

  it.runIf(haveSubset)('are the records of the test batch they name, byte for byte', () => {
    const batch = execFileSync('tar', ['-xzOf', cifarSubset, 'cifar-10-batches-bin/test_batch.bin'], {
      maxBuffer: 64 << 20,
    });
    CIFAR_IMAGES.forEach((image, c) => {
      const record = batch.subarray(image.index * 3073, (image.index + 1) * 3073);
      expect(record[0]).toBe(c);
      expect(Buffer.from(image.planes, 'base64').equals(record.subarray(1))).toBe(true);
    });
  });
});
