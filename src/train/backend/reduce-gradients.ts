import * as tf from '@tensorflow/tfjs';
import { overrideGradient } from './gradient-override';
import { constant } from './webgpu/constants';

/**
 * tfjs-core's gradients of Mean and Sum build `ones(x.shape)` in JavaScript on every call and
 * multiply dy by it. On 'wasm' that is a 1M-element array filled and copied into the heap for each
 * batch-norm moment (~4 ms each, 39 per ResNet-20 step); on 'webgpu' the array is also uploaded
 * through a new GPU buffer, and in a CPU profile of ResNet-20 training on an H100 (Node, Dawn)
 * filling the arrays took 14% of a step and creating the buffers 17%. Ours reshape dy (divided by
 * the count, for Mean) and broadcast it with Tile; the values are bitwise those of tfjs' gradient,
 * since multiplying by one is exact. Backends not registered keep tfjs' own gradients.
 */

interface ReduceAttrs {
  readonly axis: number | number[];
}

/** dy, shaped like the reduction's output with its axes kept, broadcast back to x's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, attrs: tf.NamedAttrMap, mean: boolean): tf.Tensor {
  const axes = tf.util.parseAxisParam((attrs as unknown as ReduceAttrs).axis, x.shape);
  const count = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
  const expanded = tf.reshape(
    dy,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
  return tf.broadcastTo(mean ? tf.div(expanded, constant(count)) : expanded, x.shape);
}

/** Makes the gradients of Mean and Sum ours on `backend` (e.g. 'wasm', 'webgpu'). Safe to repeat. */
export function registerReduceGradients(backend: string): void {
  for (const kernelName of ['Mean', 'Sum'])
    overrideGradient(kernelName, backend, ['x'], (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => spread(dy as tf.Tensor, x, attrs, kernelName === 'Mean') };
    });
}
