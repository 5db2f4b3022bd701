import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { kindOf, layerKinds, templateSpec, type LayerType } from '../../src/engine/layers/registry';
import { analyze, layerOf } from '../helpers';

/**
 * A layer added from the palette has the frameworks' defaults, so that a student who rebuilds
 * their Keras or PyTorch code gets the same shapes. Oracle: tfjs-layers, the TensorFlow.js port
 * of Keras, instantiated with only the arguments Keras requires (taken from our template);
 * every optional field it reports must equal ours. Fields tfjs does not have, and kinds it lacks,
 * are checked against the Keras 3 and PyTorch documentation, written out below.
 */

type Config = Record<string, unknown>;
type Factory = (required: Config) => { getConfig(): Config };

const L = tf.layers;
/** Keras' constructor for each kind, given the required arguments (our template's). */
const TFJS: Partial<Record<LayerType, Factory>> = {
  Conv1D: (r) => L.conv1d(r as never),
  Conv2D: (r) => L.conv2d(r as never),
  Conv3D: (r) => L.conv3d(r as never),
  DepthwiseConv2D: (r) => L.depthwiseConv2d(r as never),
  SeparableConv2D: (r) => L.separableConv2d(r as never),
  Conv2DTranspose: (r) => L.conv2dTranspose(r as never),
  MaxPooling1D: () => L.maxPooling1d({}),
  MaxPooling2D: () => L.maxPooling2d({}),
  AveragePooling1D: () => L.averagePooling1d({}),
  AveragePooling2D: () => L.averagePooling2d({}),
  MaxPooling3D: () => L.maxPooling3d({}),
  AveragePooling3D: () => L.averagePooling3d({}),
  GlobalAveragePooling1D: () => L.globalAveragePooling1d({}),
  GlobalAveragePooling2D: () => L.globalAveragePooling2d({}),
  GlobalMaxPooling1D: () => L.globalMaxPooling1d({}),
  GlobalMaxPooling2D: () => L.globalMaxPooling2d({}),
  BatchNormalization: () => L.batchNormalization({}),
  Rescaling: () => L.rescaling({ scale: 1 / 255 }),
  Activation: (r) => L.activation(r as never),
  Dense: (r) => L.dense(r as never),
  Flatten: () => L.flatten({}),
  Reshape: (r) => L.reshape(r as never),
  Permute: (r) => L.permute(r as never),
  ZeroPadding2D: () => L.zeroPadding2d({}),
  Cropping2D: () => L.cropping2D({ cropping: 0 }),
  UpSampling2D: () => L.upSampling2d({}),
  Add: () => L.add({}),
  Multiply: () => L.multiply({}),
  Average: () => L.average({}),
  Maximum: () => L.maximum({}),
  Concatenate: () => L.concatenate({}),
  TimeDistributed: () => L.timeDistributed({ layer: L.dense({ units: 16 }) }),
  PReLU: () => L.prelu({}),
  LayerNormalization: () => L.layerNormalization({}),
  Bidirectional: () => L.bidirectional({ layer: L.lstm({ units: 32 }) as tf.RNN }),
};

/**
 * Defaults tfjs cannot show: Keras 3's (keras.io/api/layers) where tfjs lacks the kind or the
 * argument (`groups`, `keepdims`, `output_padding`), else PyTorch's (`ceil_mode`; Dropout's `p`,
 * a required argument in Keras).
 */
const DOCUMENTED: Partial<Record<LayerType, Config>> = {
  Conv1D: { groups: 1 },
  Conv2D: { groups: 1 },
  Conv3D: { groups: 1 },
  SeparableConv2D: { depthMultiplier: 1 },
  Conv1DTranspose: {
    strides: 1,
    padding: 'valid',
    outputPadding: null,
    dilationRate: 1,
    groups: 1,
    useBias: true,
    activation: 'linear',
  },
  Conv2DTranspose: { outputPadding: null, dilationRate: 1, groups: 1 },
  MaxPooling1D: { ceilMode: false },
  MaxPooling2D: { ceilMode: false },
  AveragePooling1D: { ceilMode: false },
  AveragePooling2D: { ceilMode: false },
  MaxPooling3D: { ceilMode: false },
  AveragePooling3D: { ceilMode: false },
  GlobalAveragePooling1D: { keepdims: false },
  GlobalAveragePooling2D: { keepdims: false },
  GlobalMaxPooling1D: { keepdims: false },
  GlobalMaxPooling2D: { keepdims: false },
  GlobalAveragePooling3D: { keepdims: false },
  GlobalMaxPooling3D: { keepdims: false },
  Dropout: { rate: 0.5 },
  Normalization: { axis: -1, invert: false },
  ZeroPadding1D: { padding: 1 },
  Cropping1D: { cropping: 1 },
  UpSampling1D: { size: 2, interpolation: 'nearest' },
  // keras.io/api/layers/reshaping_layers: ZeroPadding3D padding=(1, 1, 1), Cropping3D
  // cropping=((1, 1), (1, 1), (1, 1)), UpSampling3D size=(2, 2, 2) (it only repeats).
  ZeroPadding3D: { padding: 1 },
  Cropping3D: { cropping: 1 },
  UpSampling3D: { size: 2, interpolation: 'nearest' },
  // tfjs leaves mask_zero unset; Keras' default (keras.io/api/layers/core_layers/embedding) is False.
  Embedding: { maskZero: false },
  // keras.io/api/layers/attention_layers/multi_head_attention
  MultiHeadAttention: { useBias: true },
  // keras.io/api/layers/recurrent_layers (tfjs' gates default to hard_sigmoid and its GRU lacks reset_after).
  SimpleRNN: { activation: 'tanh', useBias: true, returnSequences: false, returnState: false, goBackwards: false },
  LSTM: {
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
  },
  GRU: {
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    resetAfter: true,
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
  },
};

/** Arguments without a default in Keras: the template chooses them (32 filters of 3×3, 10 units…). */
const KERAS_REQUIRED = [
  'filters',
  'kernelSize',
  'units',
  'activation',
  'targetShape',
  'dims',
  'layer',
  'shape',
  'inputDim',
  'outputDim',
  'numHeads',
  'keyDim',
];

/** Kinds with nothing optional to compare, or that are no framework's layer (ConvScope's blocks). */
const NOTHING_TO_COMPARE: readonly LayerType[] = [
  'Input',
  'ResNetBasicBlock',
  'ResNetBottleneckBlock',
  'ZeroPadShortcut',
  'NestedModel',
  // A raw TensorFlow op and a Python function read from a file: no constructor with defaults.
  'TensorFlowOp',
  'Lambda',
  // x[:, start:end] (ONNX Slice): axis, start and end are all required, none has a default.
  'Slice',
];

/** Our spec in tfjs' config form: per-axis ints as lists, pooling strides resolved, padding as pairs. */
function asTfjs(spec: Config, rank: number): Config {
  const perAxis = (v: unknown) => (typeof v === 'number' ? Array.from({ length: rank }, () => v) : v);
  const pairs = (v: unknown) => (typeof v === 'number' ? Array.from({ length: rank }, () => [v, v]) : v);
  const out: Config = {};
  for (const [key, value] of Object.entries(spec)) {
    if (['kernelSize', 'strides', 'dilationRate', 'poolSize', 'size'].includes(key)) out[key] = perAxis(value);
    else if (key === 'padding' && typeof value === 'number') out[key] = pairs(value);
    else if (key === 'cropping') out[key] = pairs(value);
    else out[key] = value;
  }
  if ('poolSize' in spec && spec['strides'] === null) out['strides'] = out['poolSize'];
  return out;
}

const rankOf = (type: string) => (/1D/.test(type) ? 1 : /2D/.test(type) ? 2 : /3D/.test(type) ? 3 : 0);

describe('a layer added from the palette has the frameworks’ defaults', () => {
  it.each(layerKinds.map((k) => k.type))('%s', (type) => {
    const spec = templateSpec(type, 'keras') as unknown as Config;
    const factory = TFJS[type];
    const documented = DOCUMENTED[type];
    expect(!!factory || !!documented || NOTHING_TO_COMPARE.includes(type), `${type}: no reference`).toBe(true);
    // Only the arguments Keras requires come from the template; a copy, as tfjs writes into the
    // arrays it is given (Reshape's -1 becomes null).
    const template = Object.entries(kindOf(type).template ?? {}).filter(([k]) => KERAS_REQUIRED.includes(k));
    const required: Config = structuredClone(Object.fromEntries(template));
    const optional = Object.keys(spec).filter((k) => k !== 'type' && !(k in required));
    const checked = new Set(Object.keys(documented ?? {}));
    if (factory) {
      const keras = factory(required).getConfig();
      const ours = asTfjs(spec, rankOf(type));
      // The channel axis: ours is implicit (`undefined`), Keras' -1 in a channels-last model.
      if ('axis' in keras && ours['axis'] === undefined) ours['axis'] = -1;
      const shared = Object.keys(keras).filter((k) => optional.includes(k) || (k === 'axis' && 'axis' in keras));
      const pick = (from: Config) => Object.fromEntries(shared.map((k) => [k, from[k]]));
      expect(pick(ours), `${type} against tfjs-layers`).toEqual(pick(keras));
      for (const k of shared) checked.add(k);
    }
    // Every optional field is checked against one reference or the other.
    if (!NOTHING_TO_COMPARE.includes(type))
      expect(
        optional.filter((k) => !checked.has(k)),
        `${type}: fields without a reference`,
      ).toEqual([]);
    if (documented) expect(spec, `${type} against the documentation`).toMatchObject(documented);
  });

  it('convolutions: 32 filters of 3×3 (the arguments both frameworks require), no padding, stride 1', () => {
    for (const type of ['Conv1D', 'Conv2D', 'SeparableConv2D', 'Conv1DTranspose', 'Conv2DTranspose'] as const)
      expect(templateSpec(type), type).toMatchObject({ filters: 32, kernelSize: 3, padding: 'valid', strides: 1 });
  });

  it('Conv2D after a 28×28×1 input gives 26×26×32, as Keras and PyTorch do', () => {
    const conv = templateSpec('Conv2D');
    const a = analyze([
      { name: 'in', type: 'Input', shape: [28, 28, 1] },
      { name: 'conv', ...conv },
    ]);
    expect(layerOf(a, 'conv').output).toEqual([26, 26, 32]);
  });

  it('in PyTorch notation batch normalization takes torch.nn.BatchNorm2d’s eps and momentum', () => {
    // PyTorch's momentum 0.1 is the new batch's share; the field keeps Keras' convention (kept share).
    expect(templateSpec('BatchNormalization', 'pytorch')).toMatchObject({ epsilon: 1e-5, momentum: 0.9 });
    expect(templateSpec('BatchNormalization', 'keras')).toMatchObject({ epsilon: 1e-3, momentum: 0.99 });
  });

  it('in PyTorch notation layer normalization takes torch.nn.LayerNorm’s eps', () => {
    expect(templateSpec('LayerNormalization', 'pytorch')).toMatchObject({ epsilon: 1e-5 });
    expect(templateSpec('LayerNormalization', 'keras')).toMatchObject({ epsilon: 1e-3 });
  });

  it('every other kind has the same defaults in both notations (PyTorch shares Keras’ there)', () => {
    for (const { type } of layerKinds)
      if (type !== 'BatchNormalization' && type !== 'LayerNormalization')
        expect(templateSpec(type, 'pytorch'), type).toEqual(templateSpec(type, 'keras'));
  });
});
