import * as tf from '@tensorflow/tfjs';

/**
 * Small tfjs-layers models of the kinds the editor builds, for checking that every op they need
 * in training exists and computes the same on each backend (and, at full size, for benchmarks):
 * a CIFAR ResNet (He et al. 2016, §4.2: 3 stages of n basic blocks, 16/32/64 filters, option A
 * shortcuts), a VGG-like stack, a MobileNet-like stack and a causal dilated Conv1D stack.
 */

/** Option A shortcut: every other pixel, the new channels zero-padded evenly on both sides. */
export class ShortcutA extends tf.layers.Layer {
  static className = 'ShortcutA';
  constructor(private readonly filters: number) {
    super({});
  }
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = shape as number[];
    return [n as number, Math.ceil((h as number) / 2), Math.ceil((w as number) / 2), this.filters];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const [h2, w2] = [Math.ceil(h / 2), Math.ceil(w / 2)];
      const even = x.pad([
        [0, 0],
        [0, h2 * 2 - h],
        [0, w2 * 2 - w],
        [0, 0],
      ]);
      const picked = even
        .reshape([n, h2, 2, w2, 2, c])
        .slice([0, 0, 0, 0, 0, 0], [n, h2, 1, w2, 1, c])
        .reshape([n, h2, w2, c]);
      const extra = this.filters - c;
      return picked.pad([
        [0, 0],
        [0, 0],
        [0, 0],
        [Math.floor(extra / 2), Math.ceil(extra / 2)],
      ]);
    });
  }
}

type Sym = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

function convBn(x: Sym, filters: number, stride: number, relu: boolean): Sym {
  const conv = tf.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false });
  const y = apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), apply(conv, x));
  return relu ? apply(tf.layers.reLU(), y) : y;
}

/** ResNet-(6n+2) for CIFAR-10: n = 3 is ResNet-20 (271,098 parameters at width 16). */
export function cifarResNet(n: number, size = 32, width = 16, classes = 10): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let x = convBn(input, width, 1, true);
  let channels = width;
  [width, width * 2, width * 4].forEach((filters, stage) => {
    for (let b = 0; b < n; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const y = convBn(convBn(x, filters, stride, true), filters, 1, false);
      const shortcut = stride === 1 && filters === channels ? x : apply(new ShortcutA(filters), x);
      x = apply(tf.layers.reLU(), apply(tf.layers.add(), [y, shortcut]));
      channels = filters;
    }
  });
  const pooled = apply(tf.layers.globalAveragePooling2d({}), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: classes }), pooled) });
}

/** Conv–conv–max-pool blocks, flatten, dense with dropout (rate 0 unless given: it is random). */
export function vggLike(size = 16, dropout = 0): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let x: Sym = input;
  for (const filters of [8, 16]) {
    for (let i = 0; i < 2; i++)
      x = apply(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }), x);
    x = apply(tf.layers.maxPooling2d({ poolSize: 2 }), x);
  }
  x = apply(tf.layers.flatten(), x);
  x = apply(tf.layers.dense({ units: 32, activation: 'relu' }), x);
  x = apply(tf.layers.dropout({ rate: dropout }), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 10, activation: 'softmax' }), x) });
}

/** Depthwise-separable blocks with batch norm and ReLU6, stride 2 depthwise, average pooling. */
export function mobileNetLike(size = 16): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  const bnRelu6 = (y: Sym) => apply(tf.layers.reLU({ maxValue: 6 }), apply(tf.layers.batchNormalization({}), y));
  let x = bnRelu6(
    apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), input),
  );
  for (const [filters, stride] of [
    [16, 1],
    [24, 2],
    [24, 1],
  ] as const) {
    x = bnRelu6(
      apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false }), x),
    );
    x = bnRelu6(apply(tf.layers.conv2d({ filters, kernelSize: 1, useBias: false }), x));
  }
  x = apply(tf.layers.averagePooling2d({ poolSize: 2 }), x);
  x = apply(tf.layers.globalAveragePooling2d({}), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 10 }), x) });
}

/** Left zero padding over time, as causal convolution needs ((k − 1)·d zeros before the first step). */
export class LeftPad1D extends tf.layers.Layer {
  static className = 'LeftPad1D';
  constructor(private readonly amount: number) {
    super({});
  }
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, c] = shape as number[];
    return [n as number, (t as number) + this.amount, c as number];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return x.pad([
      [0, 0],
      [this.amount, 0],
      [0, 0],
    ]);
  }
}

/**
 * Causal Conv1D stack: explicit left padding, then 'valid' convolutions (tfjs-layers 4.22 refuses
 * padding 'causal' in conv1d, and has no gradient for dilated convolutions, so dilation is 1 here).
 */
export function causalConv1d(steps = 24, features = 3): tf.LayersModel {
  const input = tf.input({ shape: [steps, features] });
  let x: Sym = input;
  for (const filters of [8, 8, 16]) {
    x = apply(new LeftPad1D(2), x);
    x = apply(tf.layers.conv1d({ filters, kernelSize: 3, padding: 'valid', activation: 'relu' }), x);
  }
  x = apply(tf.layers.globalMaxPooling1d({}), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 4 }), x) });
}
