import { projectFile, type ProjectFile } from './types';

/**
 * LeNet-5 (LeCun et al. 1998) as usually rebuilt: 32×32 grey-scale, two 5×5 convolutions with
 * average pooling, then 120, 84 and 10 units. 61,706 parameters.
 */
export function lenet5(): ProjectFile {
  return projectFile(
    'LeNet-5',
    'LeCun et al. 1998: two 5×5 convolutions with average pooling, then three dense layers; 32×32 grey-scale digits.',
    [
      { name: 'input', type: 'Input', shape: [32, 32, 1] },
      { name: 'c1', type: 'Conv2D', filters: 6, kernelSize: 5, activation: 'tanh' },
      { name: 's2', type: 'AveragePooling2D', poolSize: 2 },
      { name: 'c3', type: 'Conv2D', filters: 16, kernelSize: 5, activation: 'tanh' },
      { name: 's4', type: 'AveragePooling2D', poolSize: 2 },
      { name: 'flatten', type: 'Flatten' },
      { name: 'f5', type: 'Dense', units: 120, activation: 'tanh' },
      { name: 'f6', type: 'Dense', units: 84, activation: 'tanh' },
      { name: 'output', type: 'Dense', units: 10, activation: 'softmax' },
    ],
  );
}

/**
 * AlexNet as in torchvision (`torchvision.models.alexnet`, the one-GPU variant of Krizhevsky
 * et al. 2012), in PyTorch's channels-first layout with PyTorch's explicit padding.
 * 61,100,840 parameters.
 */
export function alexnet(): ProjectFile {
  return projectFile(
    'AlexNet',
    'AlexNet as in torchvision (channels first, PyTorch padding): five convolutions, three max-poolings, three dense layers; 224×224 RGB.',
    [
      { name: 'input', type: 'Input', shape: [3, 224, 224] },
      {
        name: 'conv1',
        type: 'Conv2D',
        filters: 64,
        kernelSize: 11,
        strides: 4,
        padding: 2,
        activation: 'relu',
        group: 'features',
      },
      { name: 'pool1', type: 'MaxPooling2D', poolSize: 3, strides: 2, group: 'features' },
      { name: 'conv2', type: 'Conv2D', filters: 192, kernelSize: 5, padding: 2, activation: 'relu', group: 'features' },
      { name: 'pool2', type: 'MaxPooling2D', poolSize: 3, strides: 2, group: 'features' },
      { name: 'conv3', type: 'Conv2D', filters: 384, kernelSize: 3, padding: 1, activation: 'relu', group: 'features' },
      { name: 'conv4', type: 'Conv2D', filters: 256, kernelSize: 3, padding: 1, activation: 'relu', group: 'features' },
      { name: 'conv5', type: 'Conv2D', filters: 256, kernelSize: 3, padding: 1, activation: 'relu', group: 'features' },
      { name: 'pool5', type: 'MaxPooling2D', poolSize: 3, strides: 2, group: 'features' },
      { name: 'flatten', type: 'Flatten' },
      { name: 'drop6', type: 'Dropout', rate: 0.5, group: 'classifier' },
      { name: 'fc6', type: 'Dense', units: 4096, activation: 'relu', group: 'classifier' },
      { name: 'drop7', type: 'Dropout', rate: 0.5, group: 'classifier' },
      { name: 'fc7', type: 'Dense', units: 4096, activation: 'relu', group: 'classifier' },
      { name: 'fc8', type: 'Dense', units: 1000, group: 'classifier' },
    ],
    'channels_first',
  );
}
