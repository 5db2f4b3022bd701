import { projectFile, type FileLayer, type ProjectFile } from './types';

/**
 * MobileNet v1 (Howard et al. 2017) as in Keras Applications (`keras.applications.MobileNet`,
 * α = 1, include_top=True): a strided 3×3 convolution, then 13 depthwise-separable blocks
 * (3×3 depthwise + 1×1 pointwise, each with batch norm and ReLU6; strided blocks pad
 * bottom/right by one and use 'valid'), global pooling and a 1×1 convolution as classifier.
 */
export function mobilenet(): ProjectFile {
  const layers: FileLayer[] = [
    { name: 'input_1', type: 'Input', shape: [224, 224, 3] },
    { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false },
    { name: 'conv1_bn', type: 'BatchNormalization' },
    { name: 'conv1_relu', type: 'Activation', activation: 'relu6' },
  ];
  const blocks: [number, number][] = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2)
      layers.push({
        name: `conv_pad_${id}`,
        type: 'ZeroPadding2D',
        padding: [
          [0, 1],
          [0, 1],
        ],
      });
    layers.push(
      {
        name: `conv_dw_${id}`,
        type: 'DepthwiseConv2D',
        kernelSize: 3,
        strides: stride,
        padding: stride === 1 ? 'same' : 'valid',
        useBias: false,
      },
      { name: `conv_dw_${id}_bn`, type: 'BatchNormalization' },
      { name: `conv_dw_${id}_relu`, type: 'Activation', activation: 'relu6' },
      { name: `conv_pw_${id}`, type: 'Conv2D', filters, kernelSize: 1, padding: 'same', useBias: false },
      { name: `conv_pw_${id}_bn`, type: 'BatchNormalization' },
      { name: `conv_pw_${id}_relu`, type: 'Activation', activation: 'relu6' },
    );
  });
  layers.push(
    { name: 'global_average_pooling2d', type: 'GlobalAveragePooling2D', keepdims: true },
    { name: 'dropout', type: 'Dropout', rate: 0.001 },
    { name: 'conv_preds', type: 'Conv2D', filters: 1000, kernelSize: 1, padding: 'same' },
    { name: 'reshape_2', type: 'Reshape', targetShape: [1000] },
    { name: 'predictions', type: 'Activation', activation: 'softmax' },
  );
  return projectFile(
    'MobileNet',
    'MobileNet v1 (α = 1) as in Keras Applications: 13 depthwise-separable blocks; 224×224 RGB.',
    layers,
  );
}
