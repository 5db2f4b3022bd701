import type { Notation } from '../notation';

/**
 * What each field of a layer spec is called, and how it is explained, in each framework. A
 * spec keeps one set of keys (`kernelSize`, `dilationRate`, …); the editor labels them with the
 * argument names of `keras.layers` or `torch.nn` so that what people read matches the code
 * they write. A key missing from a table is the same word in that framework.
 */
type NameTable = Readonly<Record<string, string>>;

/** Keras' argument names (`keras.layers.Conv2D(filters, kernel_size, strides, …)`). */
const KERAS: NameTable = {
  kernelSize: 'kernel_size',
  dilationRate: 'dilation_rate',
  useBias: 'use_bias',
  depthMultiplier: 'depth_multiplier',
  outputPadding: 'output_padding',
  poolSize: 'pool_size',
  ceilMode: 'ceil_mode',
  targetShape: 'target_shape',
  strideOn: 'stride_on',
};

/** PyTorch's argument names (`nn.Conv2d(in_channels, out_channels, kernel_size, stride, …)`). */
const PYTORCH: NameTable = {
  ...KERAS,
  filters: 'out_channels',
  strides: 'stride',
  dilationRate: 'dilation',
  useBias: 'bias',
  poolSize: 'kernel_size',
  keepdims: 'keepdim',
  epsilon: 'eps',
  rate: 'p',
  units: 'out_features',
  size: 'scale_factor',
  interpolation: 'mode',
};

/** Where one kind names a field differently from the rest (torchvision's blocks take `planes`). */
const PYTORCH_BY_TYPE: Readonly<Record<string, NameTable>> = {
  ResNetBasicBlock: { filters: 'planes' },
  ResNetBottleneckBlock: { filters: 'planes' },
};

const NAMES: Readonly<Record<Notation, NameTable>> = { keras: KERAS, pytorch: PYTORCH };
const NAMES_BY_TYPE: Readonly<Record<Notation, Readonly<Record<string, NameTable>>>> = {
  keras: {},
  pytorch: PYTORCH_BY_TYPE,
};

/** The label of field `field` of a `type` layer in `notation`: `kernelSize` → `kernel_size`. */
export function fieldLabel(type: string, field: string, notation: Notation): string {
  return NAMES_BY_TYPE[notation][type]?.[field] ?? NAMES[notation][field] ?? field;
}

const INPUT_SHAPE = (order: string) =>
  `One example’s shape, batch excluded, in ${order} order. None, null, ? or an empty entry marks a size that may vary.`;

const TORCH_PADDING =
  "Zeros on each side: padding=1 keeps a 3×3 kernel's size at stride 1; one number per axis, or " +
  "[before, after] per axis. 'same', 'valid' and 'causal' are TensorFlow's, shown as a number where one " +
  'PyTorch padding says the same.';

/** Kinds whose `padding` is a window's (see `torchPadding`). */
export const WINDOWED: readonly string[] = [
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
];

/** Help that differs by notation; other fields keep the schema's own description. */
const DOCS: Readonly<Record<Notation, Readonly<Record<string, NameTable>>>> = {
  keras: {
    Input: {
      shape: INPUT_SHAPE('Keras (channels last): H, W, C for an image, L, C for a sequence, D, H, W, C for a volume'),
    },
  },
  pytorch: {
    Input: {
      shape: INPUT_SHAPE(
        'PyTorch (channels first): C, H, W for an image, C, L for a sequence, C, D, H, W for a volume',
      ),
    },
    ...Object.fromEntries(WINDOWED.map((type) => [type, { padding: TORCH_PADDING }])),
    '*': {
      filters: 'Output channels: one filter per output channel.',
      momentum:
        'Weight of each new batch in the running statistics (PyTorch’s momentum = 1 − Keras’ momentum); a new layer: 0.1, as torch.nn.BatchNorm2d.',
      center: 'Learn a shift β (PyTorch’s affine=True learns both the shift and the scale).',
      scale: 'Learn a scale γ (PyTorch’s affine=True learns both the shift and the scale).',
      depthMultiplier: 'Filters per input channel: out_channels = in_channels × this, with groups = in_channels.',
      rate: 'Probability of zeroing each element while training.',
      units: 'Number of outputs (nn.Linear’s out_features).',
      activation: 'Applied to the output, as F.relu(…) would be after the module.',
    },
  },
};

/** The help of a field in `notation`, or `fallback` (the schema's description). */
export function fieldDoc(type: string, field: string, notation: Notation, fallback: string): string {
  const docs = DOCS[notation];
  return docs[type]?.[field] ?? docs['*']?.[field] ?? fallback;
}
