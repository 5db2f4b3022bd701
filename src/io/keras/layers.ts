import { MAX_NESTING } from '../layer-spec';
import { preprocessingFields } from './preprocessing';
import { sequenceMappers } from './sequence-layers';

/**
 * Keras layer configs (Keras 2, Keras 3 and TensorFlow.js, all snake_case) → ConvScope layer
 * fields. The fields are then validated like a project file's, so a bad value is reported the
 * same way. Unsupported classes say so.
 */
export type Mapped = { fields: Record<string, unknown> } | { unsupported: string };

type Config = Record<string, unknown>;
type Mapper = (c: Config, className: string) => Mapped;

const fields = (f: Record<string, unknown>): Mapped => ({ fields: dropUndefined(f) });

function dropUndefined(f: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
}

/** Keras activation names → ConvScope's; `undefined` stays undefined (the default). */
function activation(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return activation((value as Config)['class_name'] ?? (value as Config)['config']);
  const name = String(value).toLowerCase();
  const aliases: Record<string, string> = { leakyrelu: 'leaky_relu', hard_silu: 'hard_swish', linear: 'linear' };
  return aliases[name] ?? name;
}

const conv = (c: Config, className: string): Mapped =>
  fields({
    type: className.replace('Convolution', 'Conv'),
    filters: c['filters'],
    kernelSize: c['kernel_size'],
    strides: c['strides'],
    padding: c['padding'],
    dilationRate: c['dilation_rate'],
    groups: c['groups'],
    useBias: c['use_bias'],
    activation: activation(c['activation']),
  });

const depthwise = (c: Config, className: string): Mapped =>
  fields({
    type: className,
    ...(className === 'SeparableConv2D' ? { filters: c['filters'] } : {}),
    kernelSize: c['kernel_size'],
    strides: c['strides'],
    padding: c['padding'],
    depthMultiplier: c['depth_multiplier'],
    dilationRate: c['dilation_rate'],
    useBias: c['use_bias'],
    activation: activation(c['activation']),
  });

const transposed = (c: Config, className: string): Mapped =>
  fields({
    type: className,
    filters: c['filters'],
    kernelSize: c['kernel_size'],
    strides: c['strides'],
    padding: c['padding'],
    outputPadding: c['output_padding'],
    dilationRate: c['dilation_rate'],
    useBias: c['use_bias'],
    activation: activation(c['activation']),
  });

const pool =
  (type: string): Mapper =>
  (c) =>
    fields({ type, poolSize: c['pool_size'], strides: c['strides'] ?? null, padding: c['padding'] });

const globalPool =
  (type: string): Mapper =>
  (c) =>
    fields({ type, keepdims: c['keepdims'] ?? c['keep_dims'] });

const same =
  (type: string): Mapper =>
  () =>
    fields({ type });

const dropoutLike: Mapper = (c) => fields({ type: 'Dropout', rate: typeof c['rate'] === 'number' ? c['rate'] : 0 });

const act =
  (name: string): Mapper =>
  (c) =>
    fields({ type: 'Activation', activation: name, alpha: numberOr(c['alpha'] ?? c['negative_slope']) });

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function relu(c: Config): Mapped {
  const slope = numberOr(c['negative_slope']) ?? 0;
  if (slope > 0) return fields({ type: 'Activation', activation: 'leaky_relu', alpha: slope });
  return fields({ type: 'Activation', activation: c['max_value'] === 6 ? 'relu6' : 'relu' });
}

function batchNorm(c: Config): Mapped {
  const axis = Array.isArray(c['axis']) ? c['axis'][0] : c['axis'];
  return fields({
    type: 'BatchNormalization',
    axis,
    center: c['center'],
    scale: c['scale'],
    epsilon: c['epsilon'],
    momentum: c['momentum'],
  });
}

/** Keras class name (and aliases) → mapper. */
export const kerasMappers: Readonly<Record<string, Mapper>> = {
  Conv1D: conv,
  Conv2D: conv,
  Convolution1D: conv,
  Conv3D: conv,
  Convolution2D: conv,
  Convolution3D: conv,
  DepthwiseConv2D: depthwise,
  SeparableConv2D: depthwise,
  Conv1DTranspose: transposed,
  Conv2DTranspose: transposed,
  MaxPooling1D: pool('MaxPooling1D'),
  MaxPool1D: pool('MaxPooling1D'),
  MaxPooling2D: pool('MaxPooling2D'),
  MaxPool2D: pool('MaxPooling2D'),
  AveragePooling1D: pool('AveragePooling1D'),
  AvgPool1D: pool('AveragePooling1D'),
  AveragePooling2D: pool('AveragePooling2D'),
  AvgPool2D: pool('AveragePooling2D'),
  MaxPooling3D: pool('MaxPooling3D'),
  MaxPool3D: pool('MaxPooling3D'),
  AveragePooling3D: pool('AveragePooling3D'),
  AvgPool3D: pool('AveragePooling3D'),
  GlobalAveragePooling1D: globalPool('GlobalAveragePooling1D'),
  GlobalAvgPool1D: globalPool('GlobalAveragePooling1D'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePooling2D'),
  GlobalAvgPool2D: globalPool('GlobalAveragePooling2D'),
  GlobalMaxPooling1D: globalPool('GlobalMaxPooling1D'),
  GlobalMaxPool1D: globalPool('GlobalMaxPooling1D'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPooling2D'),
  GlobalMaxPool2D: globalPool('GlobalMaxPooling2D'),
  GlobalAveragePooling3D: globalPool('GlobalAveragePooling3D'),
  GlobalAvgPool3D: globalPool('GlobalAveragePooling3D'),
  GlobalMaxPooling3D: globalPool('GlobalMaxPooling3D'),
  GlobalMaxPool3D: globalPool('GlobalMaxPooling3D'),
  BatchNormalization: batchNorm,
  Activation: (c) => fields({ type: 'Activation', activation: activation(c['activation']) }),
  ReLU: relu,
  LeakyReLU: act('leaky_relu'),
  ELU: act('elu'),
  Softmax: act('softmax'),
  Dropout: dropoutLike,
  SpatialDropout1D: dropoutLike,
  SpatialDropout2D: dropoutLike,
  SpatialDropout3D: dropoutLike,
  AlphaDropout: dropoutLike,
  GaussianDropout: dropoutLike,
  GaussianNoise: dropoutLike,
  Flatten: same('Flatten'),
  Dense: (c) =>
    fields({ type: 'Dense', units: c['units'], useBias: c['use_bias'], activation: activation(c['activation']) }),
  Reshape: (c) => fields({ type: 'Reshape', targetShape: c['target_shape'] }),
  Permute: (c) => fields({ type: 'Permute', dims: c['dims'] }),
  ZeroPadding1D: (c) => fields({ type: 'ZeroPadding1D', padding: c['padding'] }),
  ZeroPadding2D: (c) => fields({ type: 'ZeroPadding2D', padding: c['padding'] }),
  ZeroPadding3D: (c) => fields({ type: 'ZeroPadding3D', padding: c['padding'] }),
  Cropping1D: (c) => fields({ type: 'Cropping1D', cropping: c['cropping'] }),
  Cropping2D: (c) => fields({ type: 'Cropping2D', cropping: c['cropping'] }),
  Cropping3D: (c) => fields({ type: 'Cropping3D', cropping: c['cropping'] }),
  UpSampling1D: (c) => fields({ type: 'UpSampling1D', size: c['size'] }),
  UpSampling2D: (c) => fields({ type: 'UpSampling2D', size: c['size'], interpolation: c['interpolation'] }),
  UpSampling3D: (c) => fields({ type: 'UpSampling3D', size: c['size'] }),
  Add: same('Add'),
  Multiply: same('Multiply'),
  Average: same('Average'),
  Maximum: same('Maximum'),
  Concatenate: (c) => fields({ type: 'Concatenate', axis: c['axis'] }),
  ...Object.fromEntries(
    Object.entries(preprocessingFields).map(([k, f]): [string, Mapper] => [k, (c) => fields(f(c))]),
  ),
  ...sequenceMappers,
};

/** Maps one Keras layer; TimeDistributed recurses into its wrapped layer. */
export function mapKerasLayer(className: string, config: Config, depth = 0): Mapped {
  if (className === 'TimeDistributed') {
    if (depth > MAX_NESTING) return { unsupported: `wrappers are nested more than ${MAX_NESTING} deep` };
    const inner = config['layer'];
    if (!inner || typeof inner !== 'object') return { unsupported: 'TimeDistributed has no wrapped layer' };
    const { class_name: innerClass, config: innerConfig } = inner as Config;
    const mapped = mapKerasLayer(String(innerClass), (innerConfig ?? {}) as Config, depth + 1);
    if ('unsupported' in mapped) return mapped;
    const { type, ...rest } = mapped.fields;
    return { fields: { type: 'TimeDistributed', layer: { type, ...rest } } };
  }
  const mapper = kerasMappers[className];
  if (!mapper) return { unsupported: `the Keras layer class '${className}' is not supported by ConvScope` };
  return mapper(config, className);
}
