import { projectFile, type FileLayer, type ProjectFile } from './types';

/**
 * VGG16 (Simonyan & Zisserman 2014, configuration D) as in Keras Applications
 * (`keras.applications.VGG16`, include_top=True): thirteen 3×3 'same' convolutions in five
 * blocks, each ending in 2×2 max pooling, then 4096, 4096 and 1000 dense units.
 */
export function vgg16(): ProjectFile {
  const layers: FileLayer[] = [{ name: 'input_1', type: 'Input', shape: [224, 224, 3] }];
  const blocks: [number, number][] = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  blocks.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      layers.push({
        name: `block${b + 1}_conv${c}`,
        type: 'Conv2D',
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      });
    }
    layers.push({ name: `block${b + 1}_pool`, type: 'MaxPooling2D', poolSize: 2, strides: 2, group: `block${b + 1}` });
  });
  layers.push(
    { name: 'flatten', type: 'Flatten' },
    { name: 'fc1', type: 'Dense', units: 4096, activation: 'relu' },
    { name: 'fc2', type: 'Dense', units: 4096, activation: 'relu' },
    { name: 'predictions', type: 'Dense', units: 1000, activation: 'softmax' },
  );
  return projectFile(
    'VGG16',
    'VGG16 as in Keras Applications: 13 convolutions of 3×3, 5 poolings, 3 dense layers; 224×224 RGB.',
    layers,
  );
}
