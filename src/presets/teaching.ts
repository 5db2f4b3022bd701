import { causalText, mnistText } from './teaching-text';
import { projectFile, type ProjectFile } from './types';

/**
 * The MNIST network of TensorFlow's "Deep MNIST for experts": 28×28 → 5×5 convolution with 32
 * filters → 2×2 max pooling → 5×5 convolution with 64 filters (a 64×32×5×5 kernel) → pooling →
 * 1,024 units → 10 classes.
 */
export function mnistCnn(): ProjectFile {
  const text = mnistText();
  return projectFile(text.name, text.description, [
    { name: 'input', type: 'Input', shape: [28, 28, 1] },
    { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' },
    { name: 'pool1', type: 'MaxPooling2D' },
    { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' },
    { name: 'pool2', type: 'MaxPooling2D' },
    { name: 'flatten', type: 'Flatten' },
    { name: 'fc1', type: 'Dense', units: 1024, activation: 'relu' },
    { name: 'dropout', type: 'Dropout', rate: 0.4 },
    { name: 'fc2', type: 'Dense', units: 10, activation: 'softmax' },
  ]);
}

/**
 * Two input matrices stacked as two channels: each of the 8 filters is 3×3×2, spanning both
 * matrices and summing them into one output channel.
 */
export function twoChannel(): ProjectFile {
  return projectFile(
    'Two stacked matrices',
    'Two 12×12 matrices (say, two sensors) stacked as 2 channels. Each filter is 3×3×2: it spans both matrices and adds them up into one output channel, so 8 filters give 8 channels.',
    [
      { name: 'input', type: 'Input', shape: [12, 12, 2] },
      { name: 'conv1', type: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu' },
      { name: 'conv2', type: 'Conv2D', filters: 16, kernelSize: 3, activation: 'relu' },
      { name: 'pool', type: 'GlobalAveragePooling2D' },
      { name: 'output', type: 'Dense', units: 1 },
    ],
  );
}

const features = [
  { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' },
  { name: 'pool1', type: 'MaxPooling2D' },
  { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' },
  { name: 'pool2', type: 'MaxPooling2D' },
] as const;

/** A fully convolutional classifier: a 1×1 convolution head and global pooling take any size. */
export function fullyConvolutional(): ProjectFile {
  return projectFile(
    'Fully convolutional (any image size)',
    'The input size is left open (?×?). A 1×1 convolution makes one map per class and global average pooling reduces each to one number, so every image size works.',
    [
      { name: 'input', type: 'Input', shape: [null, null, 3] },
      ...features,
      { name: 'classes', type: 'Conv2D', filters: 10, kernelSize: 1 },
      { name: 'pool', type: 'GlobalAveragePooling2D' },
      { name: 'softmax', type: 'Activation', activation: 'softmax' },
    ],
  );
}

/** The same features with Flatten + Dense: the Dense kernel's size depends on the image size. */
export function flattenDense(): ProjectFile {
  return projectFile(
    'Flatten + Dense (one image size only)',
    'The same convolutions, then Flatten and Dense. Flatten gives H×W×64 numbers, so the Dense kernel is fixed by the image size: with the size left open the model cannot be built. Fix the input size, or use the fully convolutional version.',
    [
      { name: 'input', type: 'Input', shape: [null, null, 3] },
      ...features,
      { name: 'flatten', type: 'Flatten' },
      { name: 'classifier', type: 'Dense', units: 10, activation: 'softmax' },
    ],
  );
}

const DILATIONS = [1, 2, 4, 8];

/**
 * A causal dilated Conv1D stack (WaveNet, TCN): kernel 3, dilations 1, 2, 4, 8. Each layer adds
 * (k − 1)·d steps of lookback: 1 + 2·(1 + 2 + 4 + 8) = 31, and none of the future.
 */
export function causalDilated(): ProjectFile {
  const text = causalText(DILATIONS.map((dilation) => ({ kernel: 3, dilation })));
  return projectFile(text.name, text.description, [
    { name: 'input', type: 'Input', shape: [64, 1] },
    ...DILATIONS.map((d) => ({
      name: `conv_d${d}`,
      type: 'Conv1D',
      filters: 16,
      kernelSize: 3,
      dilationRate: d,
      padding: 'causal',
      activation: 'relu',
    })),
    { name: 'forecast', type: 'Conv1D', filters: 1, kernelSize: 1 },
  ]);
}

/**
 * Several sensor series stored feature-major (features × steps), fed to a causal model with a
 * Reshape that should have been a Permute, and a TimeDistributed(Dense) head.
 */
export function multiFeatureCausal(): ProjectFile {
  return projectFile(
    'Multi-feature causal model (Reshape vs Permute)',
    'Three sensors stored as 3 × 48 (features × steps). Reshape to 48 × 3 keeps the memory order, so each "step" mixes readings of different sensors: this should be Permute(2, 1). A TimeDistributed Dense predicts each step.',
    [
      { name: 'input', type: 'Input', shape: [3, 48] },
      { name: 'to_steps', type: 'Reshape', targetShape: [48, 3] },
      { name: 'conv1', type: 'Conv1D', filters: 16, kernelSize: 3, padding: 'causal', activation: 'relu' },
      {
        name: 'conv2',
        type: 'Conv1D',
        filters: 16,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'causal',
        activation: 'relu',
      },
      { name: 'per_step', type: 'TimeDistributed', layer: { type: 'Dense', units: 1 } },
    ],
  );
}
