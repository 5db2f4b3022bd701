import * as tf from '@tensorflow/tfjs';
import { randomValues } from '../backend/compare';

/** Batch-norm layers in a training call, for batch-norm.test.ts and the WebGPU kernels' test. */

/** A layer with set weights, an input and a random linear loss on its output. */
export function setUp(layer: tf.layers.Layer, shape: number[], seed: number) {
  const size = shape.reduce((p, s) => p * s, 1);
  const channels = shape[shape.length - 1] as number;
  // Channels with their own offsets and spreads, as activations have.
  const x = tf.tidy(() =>
    tf.add(
      tf.mul(tf.tensor(randomValues(size, seed), shape), tf.tensor1d(randomValues(channels, seed + 1)).add(1.5)),
      tf.tensor1d(randomValues(channels, seed + 2)).mul(3),
    ),
  );
  const r = tf.tensor(randomValues(size, seed + 3), shape);
  tf.tidy(() => void layer.apply(tf.zeros(shape))); // builds the weights
  layer.setWeights(
    tf.tidy(() => [
      tf.tensor1d(randomValues(channels, seed + 4)).add(1),
      tf.tensor1d(randomValues(channels, seed + 5)),
      tf.tensor1d(randomValues(channels, seed + 6)),
      tf
        .tensor1d(randomValues(channels, seed + 7))
        .abs()
        .add(0.5),
    ]),
  );
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read()) as [tf.Tensor, tf.Tensor];
  /** One training call: the output and the gradients of x, γ and β. */
  const step = () =>
    tf.tidy(() => {
      let y: tf.Tensor | null = null;
      const grads = tf.grads((input: tf.Tensor, _g: tf.Tensor, _b: tf.Tensor) => {
        y = tf.keep(layer.apply(input, { training: true }) as tf.Tensor);
        return tf.sum(tf.mul(y, r));
      })([x, gamma, beta]);
      return [y as unknown as tf.Tensor, ...grads];
    });
  return { step, dispose: () => tf.dispose([x, r]) };
}

/** Output, the three gradients and then the moving statistics, as numbers. */
export function trainingCall(layer: tf.layers.Layer, shape: number[], seed: number): Float32Array[] {
  const { step, dispose } = setUp(layer, shape, seed);
  const out = step();
  const values = [...out, ...layer.getWeights().slice(2)].map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  dispose();
  return values;
}

/** trainingCall, read back asynchronously (WebGPU in Node has no synchronous readback). */
export async function trainingCallAsync(
  layer: tf.layers.Layer,
  shape: number[],
  seed: number,
): Promise<Float32Array[]> {
  const { step, dispose } = setUp(layer, shape, seed);
  const out = step();
  const values = (await Promise.all([...out, ...layer.getWeights().slice(2)].map((t) => t.data()))) as Float32Array[];
  tf.dispose(out);
  dispose();
  return values;
}
