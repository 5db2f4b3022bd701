import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-core's gradient of Mean builds `ones(x.shape)` in JavaScript for every call (a 1M-element
 * array filled, copied into the WASM heap and multiplied by dy: ~4 ms for each batch-norm moment,
 * 39 per ResNet-20 step). On 'wasm' ours divides the small dy first and broadcasts the result with
 * Tile; the values are bitwise those of `div(mul(dy, ones), n)`, since multiplying by one is exact.
 * Other backends keep tfjs' own gradient.
 */

let registered = false;

export function registerWasmGradients(): void {
  if (registered) return;
  const original = tf.getGradient('Mean');
  if (!original) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== 'wasm') return original.gradFunc(dy, saved, attrs);
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
      const count = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
      const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, expanded), count), x.shape) };
    },
  });
}
