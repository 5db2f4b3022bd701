import { describe, expect, it } from 'vitest';
import {
  causalPadding,
  dilatedKernel,
  kerasTransposedPadding,
  samePadding,
  transposedOutputLength,
  windowOutputLength,
} from '../../src/engine/shape/conv-arithmetic';
import { outputOf } from '../helpers';

describe('windowOutputLength: ⌊(L + p₀ + p₁ − d(k−1) − 1)/s⌋ + 1', () => {
  // [length, kernel, stride, dilation, padding, expected, source]
  const cases: [number, number, number, number, [number, number], number, string][] = [
    [28, 3, 1, 1, [0, 0], 26, 'Keras Conv2D docs: (4, 28, 28, 3) → (4, 26, 26, 2)'],
    [28, 3, 1, 2, [0, 0], 24, 'Keras Conv2D docs: dilation_rate=2 → (4, 24, 24, 2)'],
    [10, 3, 1, 1, [0, 0], 8, 'Keras Conv1D docs: (4, 10, 128) → (4, 8, 32)'],
    [50, 3, 2, 3, [4, 4], 26, 'PyTorch Conv2d docs: H 50, kernel 3, stride 2, padding 4, dilation 3'],
    [100, 5, 1, 1, [2, 2], 100, 'PyTorch Conv2d docs: W 100, kernel 5, stride 1, padding 2'],
    [50, 3, 2, 1, [0, 0], 24, 'PyTorch MaxPool2d docs: (20, 16, 50, 32), pool 3, stride 2 → H 24'],
    [32, 3, 2, 1, [0, 0], 15, 'PyTorch MaxPool2d docs: … → W 15'],
    [32, 2, 1, 1, [0, 0], 31, 'PyTorch MaxPool2d docs: pool (3, 2), stride (2, 1) → W 31'],
    [3, 2, 1, 1, [0, 0], 2, 'Keras MaxPooling2D docs: 3×3, pool 2, strides 1, valid → 2×2'],
    [4, 2, 2, 1, [0, 0], 2, 'Keras MaxPooling2D docs: 4×4, pool 2, strides 2 → 2×2'],
    [5, 2, 1, 1, [0, 0], 4, 'Keras MaxPooling1D docs: length 5, pool 2, strides 1 → 4'],
    [5, 2, 2, 1, [0, 0], 2, 'Keras MaxPooling1D docs: length 5, pool 2, strides 2 → 2'],
    [224, 11, 4, 1, [2, 2], 55, 'AlexNet (torchvision): 224, kernel 11, stride 4, padding 2 → 55'],
    [3, 5, 1, 1, [0, 0], -1, 'a kernel larger than its input: negative, reported by the caller'],
  ];
  it.each(cases)('L=%i k=%i s=%i d=%i p=%j → %i (%s)', (length, kernel, stride, dilation, padding, expected) => {
    expect(windowOutputLength(length, kernel, stride, dilation, padding)).toBe(expected);
  });
});

describe('ceil mode (PyTorch pooling_output_shape)', () => {
  // Each verified against torch.nn.MaxPool1d(kernel, stride, padding, ceil_mode=True) in PyTorch 1.13.
  const cases: [number, number, number, [number, number], number][] = [
    [5, 2, 2, [0, 0], 3],
    [6, 3, 2, [1, 1], 4],
    [3, 2, 2, [1, 1], 2], // the third window would start inside the right padding: dropped
    [112, 3, 2, [0, 0], 56], // GoogLeNet's pools: 112 → 56 with ceil mode (55 without)
    [7, 3, 2, [0, 0], 3],
    [8, 3, 3, [1, 1], 3],
  ];
  it.each(cases)('L=%i k=%i s=%i p=%j → %i', (length, kernel, stride, padding, expected) => {
    expect(windowOutputLength(length, kernel, stride, 1, padding, true)).toBe(expected);
  });
  it('differs from floor mode where a partial window remains', () => {
    expect(windowOutputLength(112, 3, 2, 1, [0, 0], false)).toBe(55);
  });
});

describe("samePadding: TF/Keras 'same', odd pixel at the bottom/right", () => {
  const cases: [number, number, number, number, [number, number]][] = [
    [32, 3, 1, 1, [1, 1]],
    [32, 3, 2, 1, [0, 1]], // ResNet's stride-2 3×3 in Keras: only bottom/right
    [224, 7, 2, 1, [2, 3]], // the ResNet stem: 2 top, 3 bottom
    [5, 3, 2, 1, [1, 1]],
    [4, 2, 1, 1, [0, 1]], // even kernel at stride 1: the extra pixel goes after
    [10, 3, 1, 4, [4, 4]], // dilated: k_eff 9
    [7, 1, 2, 1, [0, 0]],
  ];
  it.each(cases)('L=%i k=%i s=%i d=%i → %j', (length, kernel, stride, dilation, expected) => {
    expect(samePadding(length, kernel, stride, dilation)).toEqual(expected);
    expect(windowOutputLength(length, kernel, stride, dilation, expected)).toBe(Math.ceil(length / stride));
  });
});

describe('causal padding and dilation', () => {
  it('pads (k−1)·d on the left only (Keras Conv1D causal)', () => {
    expect(causalPadding(3, 1)).toEqual([2, 0]);
    expect(causalPadding(3, 8)).toEqual([16, 0]);
    expect(causalPadding(2, 4)).toEqual([4, 0]);
  });
  it('a dilated kernel spans d·(k−1)+1', () => {
    expect(dilatedKernel(3, 1)).toBe(3);
    expect(dilatedKernel(3, 2)).toBe(5);
    expect(dilatedKernel(5, 3)).toBe(13);
  });
});

describe('transposed convolution', () => {
  it('PyTorch ConvTranspose2d docs: 6×6, kernel 3, stride 2, padding 1, output_padding 1 → 12×12', () => {
    expect(transposedOutputLength(6, 3, 2, 1, [1, 1], 1)).toBe(12);
    expect(transposedOutputLength(6, 3, 2, 1, [1, 1], 0)).toBe(11);
  });
  it("Keras deconv_output_length: 'valid' L·s + max(k − s, 0), 'same' L·s", () => {
    for (const [length, kernel, stride] of [
      [10, 3, 2],
      [8, 3, 2],
      [7, 1, 3],
      [5, 4, 2],
      [9, 2, 2],
    ] as const) {
      const valid = kerasTransposedPadding('valid', kernel, stride, 1);
      const same = kerasTransposedPadding('same', kernel, stride, 1);
      expect(transposedOutputLength(length, kernel, stride, 1, valid.padding, valid.outputPadding)).toBe(
        length * stride + Math.max(kernel - stride, 0),
      );
      expect(transposedOutputLength(length, kernel, stride, 1, same.padding, same.outputPadding)).toBe(length * stride);
    }
  });
  it('Keras Conv2DTranspose docs: (4, 10, 8, 128) with 32 filters, kernel 3, stride 2 → (4, 21, 17, 32)', () => {
    expect(
      outputOf([
        { type: 'Input', shape: [10, 8, 128] },
        { type: 'Conv2DTranspose', filters: 32, kernelSize: 3, strides: 2 },
      ]),
    ).toEqual([21, 17, 32]);
  });
});

describe('layer output shapes through the engine, from the frameworks’ docs', () => {
  it.each([
    ['Conv2D valid', [{ type: 'Conv2D', filters: 2, kernelSize: 3 }], [28, 28, 3], [26, 26, 2]],
    ['Conv2D dilated', [{ type: 'Conv2D', filters: 2, kernelSize: 3, dilationRate: 2 }], [28, 28, 3], [24, 24, 2]],
    ['Conv2D same', [{ type: 'Conv2D', filters: 2, kernelSize: 3, padding: 'same' }], [28, 28, 3], [28, 28, 2]],
    ['Conv1D', [{ type: 'Conv1D', filters: 32, kernelSize: 3 }], [10, 128], [8, 32]],
    [
      'Conv1D causal keeps length',
      [{ type: 'Conv1D', filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 4 }],
      [10, 2],
      [10, 4],
    ],
    ['MaxPooling2D same', [{ type: 'MaxPooling2D', poolSize: 2, strides: 1, padding: 'same' }], [3, 3, 1], [3, 3, 1]],
    [
      'MaxPooling1D same, stride 2',
      [{ type: 'MaxPooling1D', poolSize: 2, strides: 2, padding: 'same' }],
      [5, 1],
      [3, 1],
    ],
    [
      'Explicit asymmetric padding',
      [
        {
          type: 'Conv2D',
          filters: 1,
          kernelSize: 3,
          padding: [
            [0, 1],
            [2, 0],
          ],
        },
      ],
      [8, 8, 1],
      [7, 8, 1],
    ],
    [
      'MaxPooling2D ceil mode (GoogLeNet: 112 → 56)',
      [{ type: 'MaxPooling2D', poolSize: 3, strides: 2, ceilMode: true }],
      [112, 112, 64],
      [56, 56, 64],
    ],
    [
      'MaxPooling2D floor mode (112 → 55)',
      [{ type: 'MaxPooling2D', poolSize: 3, strides: 2 }],
      [112, 112, 64],
      [55, 55, 64],
    ],
    ['Global average pooling', [{ type: 'GlobalAveragePooling2D' }], [7, 7, 512], [512]],
    ['Global pooling keepdims', [{ type: 'GlobalMaxPooling2D', keepdims: true }], [7, 7, 512], [1, 1, 512]],
    ['Flatten', [{ type: 'Flatten' }], [7, 7, 64], [3136]],
    ['Dense on a sequence acts per step', [{ type: 'Dense', units: 5 }], [10, 3], [10, 5]],
    ['UpSampling2D', [{ type: 'UpSampling2D', size: [2, 3] }], [4, 4, 2], [8, 12, 2]],
    [
      'ZeroPadding2D per side',
      [
        {
          type: 'ZeroPadding2D',
          padding: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
      [4, 4, 2],
      [7, 11, 2],
    ],
    ['Cropping1D', [{ type: 'Cropping1D', cropping: [1, 2] }], [10, 2], [7, 2]],
    ['Permute swaps axes', [{ type: 'Permute', dims: [2, 1] }], [10, 3], [3, 10]],
    ['Reshape infers -1', [{ type: 'Reshape', targetShape: [-1, 8] }], [4, 4, 2], [4, 8]],
    ['Depthwise multiplier', [{ type: 'DepthwiseConv2D', kernelSize: 3, depthMultiplier: 2 }], [8, 8, 3], [6, 6, 6]],
    ['TimeDistributed(Dense)', [{ type: 'TimeDistributed', layer: { type: 'Dense', units: 4 } }], [7, 5, 3], [7, 5, 4]],
    [
      'Unknown size propagates',
      [{ type: 'Conv2D', filters: 8, kernelSize: 3, strides: 2, padding: 'same' }],
      [null, null, 3],
      [null, null, 8],
    ],
  ])('%s', (_name, layers, input, expected) => {
    expect(outputOf([{ type: 'Input', shape: input }, ...(layers as Record<string, unknown>[])])).toEqual(expected);
  });

  it('channels_first models keep channels in front', () => {
    expect(
      outputOf(
        [
          { type: 'Input', shape: [3, 32, 32] },
          { type: 'Conv2D', filters: 16, kernelSize: 3, strides: 2, padding: 1 },
        ],
        'channels_first',
      ),
    ).toEqual([16, 16, 16]);
  });
});
