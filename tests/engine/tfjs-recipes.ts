import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';

/**
 * Random models described once and built twice: with tfjs-layers (the oracle) and as a
 * ConvScope project file. Only what tfjs-layers 4.22 supports faithfully is generated: no
 * causal padding (its shape inference treats it as 'valid'), no groups, no dilation with stride.
 */
export type Step =
  | {
      kind: 'conv';
      filters: number;
      kernel: number[];
      strides: number[];
      padding: 'valid' | 'same';
      dilation: number[];
      useBias: boolean;
    }
  | {
      kind: 'depthwise';
      kernel: number[];
      strides: number[];
      padding: 'valid' | 'same';
      multiplier: number;
      useBias: boolean;
    }
  | {
      kind: 'separable';
      filters: number;
      kernel: number[];
      strides: number[];
      padding: 'valid' | 'same';
      multiplier: number;
    }
  | { kind: 'deconv'; filters: number; kernel: number[]; strides: number[]; padding: 'valid' | 'same' }
  | { kind: 'pool'; max: boolean; size: number[]; strides: number[] | null; padding: 'valid' | 'same' }
  | { kind: 'bn' }
  | { kind: 'relu' }
  | { kind: 'dropout' }
  | { kind: 'zeropad'; padding: [[number, number], [number, number]] }
  | { kind: 'crop'; cropping: [[number, number], [number, number]] }
  | { kind: 'upsample'; size: number[] }
  | { kind: 'residual'; kernel: number; extra: number }
  | { kind: 'concat'; filters: number }
  | { kind: 'time-dense'; units: number }
  | { kind: 'dense'; units: number }
  | { kind: 'permute' };

export type Head = 'none' | 'flatten-dense' | 'gap-dense' | 'gmp';

export interface Recipe {
  readonly rank: 1 | 2;
  readonly input: (number | null)[];
  readonly steps: Step[];
  readonly head: Head;
}

const small = (max: number) => fc.integer({ min: 1, max });
const tuple = (rank: number, max: number) => fc.array(small(max), { minLength: rank, maxLength: rank });
const padding = fc.constantFrom<'valid' | 'same'>('valid', 'same');

function stepArb(rank: 1 | 2): fc.Arbitrary<Step> {
  const conv = fc.oneof(
    fc.record({
      kind: fc.constant('conv' as const),
      filters: small(8),
      kernel: tuple(rank, 5),
      strides: tuple(rank, 3),
      padding,
      dilation: fc.constant(Array(rank).fill(1)),
      useBias: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('conv' as const),
      filters: small(8),
      kernel: tuple(rank, 4),
      strides: fc.constant(Array(rank).fill(1)),
      padding,
      dilation: tuple(rank, 3),
      useBias: fc.boolean(),
    }),
  );
  const pool = fc.record({
    kind: fc.constant('pool' as const),
    max: fc.boolean(),
    size: tuple(rank, 3),
    strides: fc.option(tuple(rank, 3), { nil: null }),
    padding,
  });
  const common = [
    conv,
    pool,
    fc.constant({ kind: 'bn' as const }),
    fc.constant({ kind: 'relu' as const }),
    fc.constant({ kind: 'dropout' as const }),
    fc.record({ kind: fc.constant('dense' as const), units: small(6) }),
  ];
  if (rank === 1) {
    return fc.oneof(
      ...common,
      fc.record({ kind: fc.constant('time-dense' as const), units: small(6) }),
      fc.constant({ kind: 'permute' as const }),
    );
  }
  const pair = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }));
  return fc.oneof(
    ...common,
    fc.record({
      kind: fc.constant('depthwise' as const),
      kernel: tuple(2, 4),
      strides: tuple(2, 2),
      padding,
      multiplier: small(3),
      useBias: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('separable' as const),
      filters: small(8),
      kernel: tuple(2, 4),
      strides: tuple(2, 2),
      padding,
      multiplier: small(2),
    }),
    fc.record({
      kind: fc.constant('deconv' as const),
      filters: small(6),
      kernel: tuple(2, 4),
      strides: tuple(2, 3),
      padding,
    }),
    fc.record({ kind: fc.constant('zeropad' as const), padding: fc.tuple(pair, pair) }),
    fc.record({ kind: fc.constant('crop' as const), cropping: fc.tuple(pair, pair) }),
    fc.record({ kind: fc.constant('upsample' as const), size: tuple(2, 3) }),
    fc.record({
      kind: fc.constant('residual' as const),
      kernel: fc.constantFrom(1, 3),
      extra: fc.constantFrom(0, 0, 0, 1),
    }),
    fc.record({ kind: fc.constant('concat' as const), filters: small(4) }),
  );
}

/**
 * tfjs-layers computes ZeroPadding2D, Cropping2D and UpSampling2D sizes with JavaScript
 * arithmetic on null (null + 2 = 2), so those steps are only generated for fixed input sizes.
 */
const NULL_UNSAFE = new Set(['zeropad', 'crop', 'upsample']);

export function recipeArb(rank: 1 | 2): fc.Arbitrary<Recipe> {
  const size = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 3, max: 24 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc
    .record({
      rank: fc.constant(rank),
      input: fc.tuple(fc.array(size, { minLength: rank, maxLength: rank }), small(4)).map(([s, c]) => [...s, c]),
      steps: fc.array(stepArb(rank), { minLength: 1, maxLength: 6 }),
      head: fc.constantFrom<Head>('none', 'flatten-dense', 'gap-dense', 'gmp'),
    })
    .map((r) => (r.input.includes(null) ? { ...r, steps: r.steps.filter((s) => !NULL_UNSAFE.has(s.kind)) } : r));
}

type Layer = Record<string, unknown> & { name: string; type: string };

/** The recipe as ConvScope project-file layers. */
export function toProjectLayers(recipe: Recipe): Layer[] {
  const d = recipe.rank === 1 ? '1D' : '2D';
  const layers: Layer[] = [{ name: 'in', type: 'Input', shape: recipe.input }];
  let last = 'in';
  const push = (layer: Layer) => {
    layers.push({ inputs: [last], ...layer });
    last = layer.name;
  };
  recipe.steps.forEach((s, i) => {
    const name = `l${i}`;
    switch (s.kind) {
      case 'conv':
        return push({
          name,
          type: `Conv${d}`,
          filters: s.filters,
          kernelSize: s.kernel,
          strides: s.strides,
          padding: s.padding,
          dilationRate: s.dilation,
          useBias: s.useBias,
        });
      case 'depthwise':
        return push({
          name,
          type: 'DepthwiseConv2D',
          kernelSize: s.kernel,
          strides: s.strides,
          padding: s.padding,
          depthMultiplier: s.multiplier,
          useBias: s.useBias,
        });
      case 'separable':
        return push({
          name,
          type: 'SeparableConv2D',
          filters: s.filters,
          kernelSize: s.kernel,
          strides: s.strides,
          padding: s.padding,
          depthMultiplier: s.multiplier,
        });
      case 'deconv':
        return push({
          name,
          type: 'Conv2DTranspose',
          filters: s.filters,
          kernelSize: s.kernel,
          strides: s.strides,
          padding: s.padding,
        });
      case 'pool':
        return push({
          name,
          type: `${s.max ? 'Max' : 'Average'}Pooling${d}`,
          poolSize: s.size,
          strides: s.strides,
          padding: s.padding,
        });
      case 'bn':
        return push({ name, type: 'BatchNormalization' });
      case 'relu':
        return push({ name, type: 'Activation', activation: 'relu' });
      case 'dropout':
        return push({ name, type: 'Dropout', rate: 0.25 });
      case 'zeropad':
        return push({ name, type: 'ZeroPadding2D', padding: s.padding });
      case 'crop':
        return push({ name, type: 'Cropping2D', cropping: s.cropping });
      case 'upsample':
        return push({ name, type: 'UpSampling2D', size: s.size });
      case 'dense':
        return push({ name, type: 'Dense', units: s.units });
      case 'time-dense':
        return push({ name, type: 'TimeDistributed', layer: { type: 'Dense', units: s.units } });
      case 'permute':
        return push({ name, type: 'Permute', dims: [2, 1] });
      case 'residual': {
        const from = last;
        push({
          name: `${name}_conv`,
          type: 'Conv2D',
          filters: channelsPlaceholder(s.extra),
          kernelSize: s.kernel,
          padding: 'same',
        });
        layers.push({ name: `${name}_add`, type: 'Add', inputs: [from, `${name}_conv`] });
        last = `${name}_add`;
        return;
      }
      case 'concat': {
        const from = last;
        push({ name: `${name}_conv`, type: 'Conv2D', filters: s.filters, kernelSize: 1 });
        layers.push({ name: `${name}_cat`, type: 'Concatenate', inputs: [from, `${name}_conv`] });
        last = `${name}_cat`;
        return;
      }
    }
  });
  addHead(recipe, push);
  return layers;
}

/** Residual convolutions use the channel count tfjs saw; the placeholder is resolved at build. */
const PLACEHOLDER = -1000;
function channelsPlaceholder(extra: number): number {
  return PLACEHOLDER - extra;
}

function addHead(recipe: Recipe, push: (layer: Layer) => void) {
  const d = recipe.rank === 1 ? '1D' : '2D';
  if (recipe.head === 'flatten-dense') {
    push({ name: 'flat', type: 'Flatten' });
    push({ name: 'out', type: 'Dense', units: 3 });
  } else if (recipe.head === 'gap-dense') {
    push({ name: 'gap', type: `GlobalAveragePooling${d}` });
    push({ name: 'out', type: 'Dense', units: 3 });
  } else if (recipe.head === 'gmp') {
    push({ name: 'gmp', type: `GlobalMaxPooling${d}` });
  }
}

export interface Built {
  readonly model: tf.LayersModel;
  /** The project layers with residual widths filled in from tfjs' shapes. */
  readonly layers: Layer[];
}

/** Builds the recipe with tfjs-layers' functional API; throws where tfjs refuses the model. */
export function buildTfjs(recipe: Recipe): { built?: Built; layers: Layer[]; failedAt?: string; error?: string } {
  const layers = toProjectLayers(recipe);
  const tensors = new Map<string, tf.SymbolicTensor>();
  let current = '';
  try {
    for (const layer of layers) {
      current = layer.name;
      if (layer.type === 'Input') {
        tensors.set(layer.name, tf.input({ shape: layer['shape'] as number[], name: layer.name }));
        continue;
      }
      const inputs = (layer['inputs'] as string[]).map((n) => tensors.get(n) as tf.SymbolicTensor);
      if (layer['filters'] !== undefined && (layer['filters'] as number) <= PLACEHOLDER) {
        const channels = inputs[0]!.shape.at(-1) as number;
        layer['filters'] = channels + (PLACEHOLDER - (layer['filters'] as number));
      }
      const output = tfjsLayer(layer).apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor;
      if (output.shape.some((d) => d !== null && d <= 0)) {
        return { layers, failedAt: layer.name, error: `output shape ${JSON.stringify(output.shape)}` };
      }
      tensors.set(layer.name, output);
    }
    const output = tensors.get(layers.at(-1)!.name)!;
    return { built: { model: tf.model({ inputs: tensors.get('in')!, outputs: output }), layers }, layers };
  } catch (e) {
    return { layers, failedAt: current, error: (e as Error).message };
  }
}

function tfjsLayer(l: Layer): tf.layers.Layer {
  const { name, type, inputs: _inputs, ...f } = l;
  const common = { name };
  switch (type) {
    case 'Conv1D':
    case 'Conv2D':
      return (type === 'Conv1D' ? tf.layers.conv1d : tf.layers.conv2d)({
        ...common,
        filters: f['filters'] as number,
        kernelSize: f['kernelSize'] as [number, number],
        strides: (f['strides'] as [number, number] | undefined) ?? 1,
        padding: (f['padding'] as 'valid') ?? 'valid',
        dilationRate: (f['dilationRate'] as [number, number] | undefined) ?? 1,
        useBias: (f['useBias'] as boolean | undefined) ?? true,
      });
    case 'DepthwiseConv2D':
      return tf.layers.depthwiseConv2d({
        ...common,
        kernelSize: f['kernelSize'] as [number, number],
        strides: f['strides'] as [number, number],
        padding: f['padding'] as 'valid',
        depthMultiplier: f['depthMultiplier'] as number,
        useBias: f['useBias'] as boolean,
      });
    case 'SeparableConv2D':
      return tf.layers.separableConv2d({
        ...common,
        filters: f['filters'] as number,
        kernelSize: f['kernelSize'] as [number, number],
        strides: f['strides'] as [number, number],
        padding: f['padding'] as 'valid',
        depthMultiplier: f['depthMultiplier'] as number,
      });
    case 'Conv2DTranspose':
      return tf.layers.conv2dTranspose({
        ...common,
        filters: f['filters'] as number,
        kernelSize: f['kernelSize'] as [number, number],
        strides: f['strides'] as [number, number],
        padding: f['padding'] as 'valid',
      });
    case 'MaxPooling1D':
    case 'AveragePooling1D': {
      const make = type === 'MaxPooling1D' ? tf.layers.maxPooling1d : tf.layers.averagePooling1d;
      const strides = f['strides'] as [number, number] | null;
      return make({
        ...common,
        poolSize: (f['poolSize'] as number[])[0]!,
        ...(strides ? { strides: strides[0]! } : {}),
        padding: f['padding'] as 'valid',
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const make = type === 'MaxPooling2D' ? tf.layers.maxPooling2d : tf.layers.averagePooling2d;
      const strides = f['strides'] as [number, number] | null;
      return make({
        ...common,
        poolSize: f['poolSize'] as [number, number],
        ...(strides ? { strides } : {}),
        padding: f['padding'] as 'valid',
      });
    }
    case 'BatchNormalization':
      return tf.layers.batchNormalization(common);
    case 'Activation':
      return tf.layers.activation({ ...common, activation: 'relu' });
    case 'Dropout':
      return tf.layers.dropout({ ...common, rate: 0.25 });
    case 'ZeroPadding2D':
      return tf.layers.zeroPadding2d({ ...common, padding: f['padding'] as [[number, number], [number, number]] });
    case 'Cropping2D':
      return tf.layers.cropping2D({ ...common, cropping: f['cropping'] as [[number, number], [number, number]] });
    case 'UpSampling2D':
      return tf.layers.upSampling2d({ ...common, size: f['size'] as [number, number] });
    case 'Dense':
      return tf.layers.dense({ ...common, units: f['units'] as number });
    case 'TimeDistributed':
      return tf.layers.timeDistributed({
        ...common,
        layer: tf.layers.dense({ units: (f['layer'] as { units: number }).units }),
      });
    case 'Permute':
      return tf.layers.permute({ ...common, dims: f['dims'] as number[] });
    case 'Add':
      return tf.layers.add(common);
    case 'Concatenate':
      return tf.layers.concatenate(common);
    case 'Flatten':
      return tf.layers.flatten(common);
    case 'GlobalAveragePooling1D':
      return tf.layers.globalAveragePooling1d(common);
    case 'GlobalAveragePooling2D':
      return tf.layers.globalAveragePooling2d(common);
    case 'GlobalMaxPooling1D':
      return tf.layers.globalMaxPooling1d(common);
    case 'GlobalMaxPooling2D':
      return tf.layers.globalMaxPooling2d(common);
    default:
      throw new Error(`recipe layer ${type} has no tfjs builder`);
  }
}
