import { MNIST_DIGITS } from './mnist-digits';

/** A grey or colour picture to lay a receptive field over: RGBA, row-major. */
export interface SampleImage {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/** MNIST digit `digit` (0–9) as a 28×28 picture, white on black as MNIST stores it. */
export function mnistSample(digit: number): SampleImage {
  const grey = Uint8Array.from(atob(MNIST_DIGITS[digit] ?? ''), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(grey.length * 4);
  grey.forEach((g, i) => {
    rgba.set([g, g, g, 255], i * 4);
  });
  return { label: `MNIST digit ${digit}`, width: 28, height: 28, rgba };
}

export const SAMPLE_COUNT = MNIST_DIGITS.length;
