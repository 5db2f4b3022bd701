import * as tf from '@tensorflow/tfjs';
import type { Filters, Samples } from './protocol';
import type { Dataset } from './types';

/** What the Train panel draws after a run: sample predictions and the first layer's filters. */

/** The first 16 test images with their labels and the predictions for them. */
export function samplesOf(data: Dataset, predicted: Uint8Array, confidence: Float32Array): Samples {
  const count = Math.min(16, data.test.count);
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  return {
    shape: data.shape,
    pixels: data.test.images.slice(0, count * size),
    labels: Array.from(data.test.labels.slice(0, count)),
    predicted: Array.from(predicted.slice(0, count)),
    confidence: Array.from(confidence.slice(0, count)),
  };
}

/**
 * The first 2D convolution's kernel, reordered to PyTorch's out × in × kH × kW. Read back
 * asynchronously: on WebGPU a synchronous read goes through canvases (and needs OffscreenCanvas).
 */
export async function firstFilters(model: tf.LayersModel): Promise<Filters | null> {
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0];
    if (!kernel || kernel.rank !== 4 || !layer.getClassName().includes('Conv')) continue;
    const reordered = tf.tidy(() => kernel.transpose([3, 2, 0, 1]));
    const values = (await reordered.data()) as Float32Array;
    reordered.dispose();
    const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
    return { layer: layer.name, shape: [cout, cin, kh, kw], values: new Float32Array(values) };
  }
  return null;
}
