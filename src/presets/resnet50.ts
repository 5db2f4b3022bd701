import { projectFile, type FileLayer, type ProjectFile } from './types';

/**
 * ResNet50 as in Keras Applications (`keras.applications.ResNet50`, include_top=True): a 7×7
 * stride-2 convolution after 3 pixels of zero padding, 3×3 max pooling, then 3, 4, 6 and 3
 * bottleneck blocks of width 64, 128, 256 and 512 (output ×4), each stage's first block with a
 * projection shortcut and (after the first stage) stride 2 on its first 1×1 convolution.
 * Keras' convolutions keep their biases; batch norm ε = 1.001e-5.
 */
export function resnet50(): ProjectFile {
  const layers: FileLayer[] = [
    { name: 'input_1', type: 'Input', shape: [224, 224, 3] },
    { name: 'conv1_pad', type: 'ZeroPadding2D', padding: 3 },
    { name: 'conv1_conv', type: 'Conv2D', filters: 64, kernelSize: 7, strides: 2 },
    { name: 'conv1_bn', type: 'BatchNormalization', epsilon: 1.001e-5 },
    { name: 'conv1_relu', type: 'Activation', activation: 'relu' },
    { name: 'pool1_pad', type: 'ZeroPadding2D', padding: 1 },
    { name: 'pool1_pool', type: 'MaxPooling2D', poolSize: 3, strides: 2 },
  ];
  const stages: [number, number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  stages.forEach(([filters, blocks], s) => {
    for (let b = 1; b <= blocks; b++) {
      layers.push({
        name: `conv${s + 2}_block${b}`,
        type: 'ResNetBottleneckBlock',
        filters,
        strides: s > 0 && b === 1 ? 2 : 1,
        strideOn: 'conv1',
        shortcut: 'B',
        useBias: true,
        padding: 'same',
        group: `conv${s + 2}`,
      });
    }
  });
  layers.push(
    { name: 'avg_pool', type: 'GlobalAveragePooling2D' },
    { name: 'predictions', type: 'Dense', units: 1000, activation: 'softmax' },
  );
  return projectFile(
    'ResNet50',
    'ResNet50 as in Keras Applications: 16 bottleneck blocks in 4 stages; 224×224 RGB.',
    layers,
  );
}
