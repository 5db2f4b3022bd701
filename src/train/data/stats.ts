/**
 * Per-channel mean and standard deviation of pixels scaled to 0–1, the numbers a `Normalize`
 * step subtracts and divides by (torchvision's `transforms.Normalize(mean, std)`). The standard
 * deviation is over every pixel of the set (population form, √(E[x²] − E[x]²)), the way the
 * published CIFAR-10 values (0.2470, 0.2435, 0.2616) are computed, not an average of per-image
 * deviations.
 */
export interface ChannelStats {
  readonly mean: number[];
  readonly std: number[];
}

/** From per-channel sums of pixel bytes and of their squares over `count` pixels per channel (none: mean 0, std 1). */
export function statsFromSums(sums: ArrayLike<number>, squares: ArrayLike<number>, count: number): ChannelStats {
  const mean: number[] = [];
  const std: number[] = [];
  if (count === 0) return { mean: Array.from(sums, () => 0), std: Array.from(sums, () => 1) };
  for (let c = 0; c < sums.length; c++) {
    const m = (sums[c] as number) / count;
    const variance = Math.max(0, (squares[c] as number) / count - m * m);
    mean.push(m / 255);
    std.push(Math.sqrt(variance) / 255);
  }
  return { mean, std };
}

/** Of channels-last uint8 images (any height and width), `channels` values per pixel. */
export function channelStats(images: Uint8Array, channels: number): ChannelStats {
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  // Integer partial sums per block stay exact (< 2^53) and keep the inner loop cheap.
  const block = channels * 4096;
  for (let start = 0; start < images.length; start += block) {
    const end = Math.min(images.length, start + block);
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      let square = 0;
      for (let i = start + c; i < end; i += channels) {
        const v = images[i] as number;
        sum += v;
        square += v * v;
      }
      sums[c] = (sums[c] as number) + sum;
      squares[c] = (squares[c] as number) + square;
    }
  }
  return statsFromSums(sums, squares, images.length / channels);
}
