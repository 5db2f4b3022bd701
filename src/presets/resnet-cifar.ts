import { projectFile, type FileLayer, type ProjectFile } from './types';

export type CifarDepth = 20 | 32 | 56 | 110;

/**
 * The CIFAR-10 ResNets of He et al. 2015, §4.2: a 3×3 convolution with 16 filters, then three
 * stages of n = (depth − 2)/6 basic blocks with 16, 32 and 64 filters (the first block of the
 * second and third stages has stride 2), global average pooling and a 10-way dense layer.
 * Convolutions have no bias; batch norm follows each. Option A shortcuts zero-pad (the paper's
 * choice for CIFAR), option B projects with 1×1 convolutions.
 */
export function resnetCifar(depth: CifarDepth, shortcut: 'A' | 'B'): ProjectFile {
  const n = (depth - 2) / 6;
  const layers: FileLayer[] = [
    { name: 'input', type: 'Input', shape: [32, 32, 3] },
    { name: 'conv1', type: 'Conv2D', filters: 16, kernelSize: 3, padding: 1, useBias: false },
    { name: 'bn1', type: 'BatchNormalization', epsilon: 1e-5, momentum: 0.9 },
    { name: 'relu1', type: 'Activation', activation: 'relu' },
  ];
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < n; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      layers.push({
        name: `stage${stage + 1}_block${b + 1}`,
        type: 'ResNetBasicBlock',
        filters,
        strides,
        shortcut,
        group: `stage${stage + 1}`,
      });
    }
  });
  layers.push(
    { name: 'pool', type: 'GlobalAveragePooling2D' },
    { name: 'fc', type: 'Dense', units: 10, activation: 'softmax' },
  );
  return projectFile(
    `ResNet-${depth} (option ${shortcut})`,
    `He et al. 2015's ResNet-${depth} for CIFAR-10: ${n} basic blocks per stage with 16, 32 and 64 filters; ` +
      (shortcut === 'A'
        ? 'zero-padding (option A) shortcuts, no extra parameters.'
        : '1×1 projection (option B) shortcuts.'),
    layers,
  );
}
