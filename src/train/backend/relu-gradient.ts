import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { overrideGradient } from './gradient-override';
import { addressOf, simdFor } from './wasm/simd-program';

/**
 * ReLU's gradient in one pass: tfjs-core's is dy·step(x), a whole mask tensor written and read
 * again (two kernels over the activation, 19 of each per ResNet-20 step). On the backends this is
 * registered for, `ConvScopeReluGrad` computes x > 0 ? dy : 0 directly (a SIMD loop on WASM);
 * elsewhere tfjs' own gradient stays. The values are the same: dy·1 and dy·0 (0 for +0 and −0).
 */
export const RELU_GRAD = 'ConvScopeReluGrad';

/** { dy, x } → x > 0 ? dy : 0, on WASM. */
export const reluGradWasm: tf.KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const size = tf.util.sizeFromShape(x.shape);
  const out = wasm.makeOutput([...x.shape], 'float32');
  const simd = size > 0 && size % 4 === 0 ? simdFor(wasm) : null;
  if (simd) simd.relugrad(addressOf(wasm, dy), addressOf(wasm, x), addressOf(wasm, out), size);
  else {
    const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
    const [d, v, o] = [heap(dy), heap(x), heap(out)];
    for (let i = 0; i < size; i++) o[i] = (v[i] as number) > 0 ? (d[i] as number) : 0;
  }
  return out;
};

/** Makes ReLU's gradient the one-pass kernel on `backend` (which must register RELU_GRAD). Safe to repeat. */
export function registerReluGradient(backend: string): void {
  overrideGradient('Relu', backend, ['x'], (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    if (x.dtype !== 'float32') return null;
    return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x }, {}) as tf.Tensor };
  });
}
