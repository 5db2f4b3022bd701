import fc from 'fast-check';
import { ACTIVATIONS } from '../../../src/engine/layers/fields';

/**
 * Random models made of what tfjs-layers cannot build or train as the engine defines it:
 * causal and explicit (asymmetric) padding, groups, stride with dilation, dilated depthwise and
 * separable convolutions, transposed convolutions with crop, output padding, dilation and
 * groups, padded and ceil-mode pooling, bilinear and 1-D upsampling, 1-D padding and cropping,
 * residual blocks (options A and B), option A shortcuts, TimeDistributed, explicit axes.
 * Layers are chosen from random numbers and the channel count so far, so most models are valid.
 */
type Layer = Record<string, unknown>;

const kinds = [
  'conv',
  'depthwise',
  'separable',
  'transposed',
  'pool',
  'border',
  'upsample',
  'bn',
  'activation',
  'block',
  'shortcut',
  'concat',
  'add',
  'time',
  'layout',
] as const;

interface Step {
  readonly kind: (typeof kinds)[number];
  readonly r: readonly number[];
}

const step = fc.record({
  kind: fc.constantFrom(...kinds),
  r: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 12 }),
});

export function exoticArb(dataFormat: 'channels_last' | 'channels_first'): fc.Arbitrary<Layer[]> {
  return fc
    .record({
      rank: fc.constantFrom(1, 2),
      size: fc.integer({ min: 6, max: 18 }),
      channels: fc.integer({ min: 1, max: 4 }),
      steps: fc.array(step, { minLength: 1, maxLength: 5 }),
      head: fc.constantFrom('none', 'flatten-dense', 'gap', 'gmp-keepdims'),
    })
    .map((r) => toLayers(r.rank as 1 | 2, r.size, r.channels, r.steps, r.head, dataFormat));
}

function toLayers(
  rank: 1 | 2,
  size: number,
  inChannels: number,
  steps: readonly Step[],
  head: string,
  dataFormat: string,
): Layer[] {
  const d = rank === 1 ? '1D' : '2D';
  const spatial = Array.from({ length: rank }, (_, i) => size - i);
  const shape = dataFormat === 'channels_first' ? [inChannels, ...spatial] : [...spatial, inChannels];
  const layers: Layer[] = [{ name: 'in', type: 'Input', shape }];
  let channels = inChannels;
  let last = 'in';
  const push = (layer: Layer, out = channels) => {
    layers.push({ inputs: [last], ...layer });
    last = layer['name'] as string;
    channels = out;
  };
  steps.forEach((s, i) => {
    const name = `l${i}`;
    const [a = 0, b = 0, c = 0, e = 0, f = 0, g = 0, h = 0] = s.r;
    const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length] as T;
    const axes = (n: number, max: number) => (rank === 1 ? [1 + (n % max)] : [1 + (n % max), 1 + ((n >> 3) % max)]);
    switch (s.kind) {
      case 'conv': {
        const groups = channels % 2 === 0 && a % 3 === 0 ? 2 : 1;
        const filters = groups * (1 + (b % 3));
        const padding = pick(
          ['valid', 'same', rank === 1 ? 'causal' : 'same', c % 3, axes(c, 2).map((p, j) => [p, (c >> (j + 2)) % 3])],
          e,
        );
        return push(
          {
            name,
            type: `Conv${d}`,
            filters,
            kernelSize: axes(f, 3),
            strides: axes(g, 2),
            dilationRate: axes(h, 3),
            groups,
            padding,
            activation: pick(ACTIVATIONS, a),
          },
          filters,
        );
      }
      case 'depthwise':
      case 'separable': {
        if (rank === 1) return;
        const m = 1 + (a % 2);
        const filters = 1 + (b % 4);
        const type = s.kind === 'depthwise' ? 'DepthwiseConv2D' : 'SeparableConv2D';
        return push(
          {
            name,
            type,
            kernelSize: axes(c, 3),
            strides: axes(e, 2),
            dilationRate: axes(f, 2),
            depthMultiplier: m,
            padding: pick(['same', 'valid', 1], g),
            ...(type === 'SeparableConv2D' ? { filters } : {}),
          },
          type === 'SeparableConv2D' ? filters : channels * m,
        );
      }
      case 'transposed': {
        const groups = channels % 2 === 0 && a % 2 === 0 ? 2 : 1;
        const filters = groups * (1 + (b % 2));
        const strides = axes(c, 3);
        const dilation = axes(e, 2);
        const keras = f % 3 === 0;
        return push(
          {
            name,
            type: `Conv${d}Transpose`,
            filters,
            kernelSize: axes(g, 4),
            strides,
            dilationRate: dilation,
            groups,
            padding: keras ? pick(['valid', 'same'], h) : strides.map((_, j) => [(h >> j) % 2, (h >> (j + 2)) % 2]),
            outputPadding: strides.map((st, j) => (h >> (j + 4)) % Math.max(st, dilation[j] ?? 1)),
          },
          filters,
        );
      }
      case 'pool': {
        const k = axes(a, 3);
        const explicit = b % 2 === 0;
        return push({
          name,
          type: `${pick(['Max', 'Average'], c)}Pooling${d}`,
          poolSize: k,
          strides: axes(e, 3),
          padding: explicit ? k.map((kk, j) => Math.min((f >> j) % 2, Math.floor(kk / 2))) : pick(['valid', 'same'], f),
          ceilMode: g % 2 === 0,
        });
      }
      case 'border': {
        const pad = b % 2 === 0;
        const amounts =
          rank === 1
            ? [a % 3, c % 2]
            : [
                [a % 3, c % 2],
                [e % 2, f % 3],
              ];
        return push(
          pad ? { name, type: `ZeroPadding${d}`, padding: amounts } : { name, type: `Cropping${d}`, cropping: amounts },
        );
      }
      case 'upsample':
        return push({
          name,
          type: `UpSampling${d}`,
          size: axes(a, 2).map((x) => x + 1),
          interpolation: pick(['nearest', 'bilinear'], b),
        });
      case 'bn':
        return push({ name, type: 'BatchNormalization', ...(a % 3 === 0 ? { axis: -1 } : {}) });
      case 'activation':
        return push({ name, type: 'Activation', activation: pick(ACTIVATIONS, a), ...(b % 2 ? { alpha: 0.3 } : {}) });
      case 'block': {
        const filters = 2 + (a % 3);
        const bottleneck = b % 2 === 0;
        const stride = 1 + (c % 2);
        const shortcut = pick(['A', 'B'], e);
        const out = bottleneck ? filters * 2 : filters;
        if (shortcut === 'A' && out < channels) return;
        return push(
          {
            name,
            type: bottleneck ? 'ResNetBottleneckBlock' : 'ResNetBasicBlock',
            filters,
            strides: stride,
            shortcut,
            padding: pick(['symmetric', 'same'], f),
            ...(bottleneck ? { expansion: 2, strideOn: pick(['conv1', 'conv2'], g) } : {}),
          },
          out,
        );
      }
      case 'shortcut':
        return push(
          { name, type: 'ZeroPadShortcut', filters: channels + (a % 3), strides: 1 + (b % 2) },
          channels + (a % 3),
        );
      case 'concat':
      case 'add': {
        const from = last;
        const before = channels;
        const filters = s.kind === 'add' ? channels : 1 + (a % 3);
        push({ name: `${name}_conv`, type: `Conv${d}`, filters, kernelSize: 1 }, filters);
        const type = s.kind === 'add' ? pick(['Add', 'Multiply', 'Average', 'Maximum'], b) : 'Concatenate';
        layers.push({ name, inputs: [from, `${name}_conv`], type });
        last = name;
        channels = s.kind === 'add' ? before : before + filters;
        return;
      }
      case 'layout': {
        // Layers that read the engine's own layout: in a channels-first model these run on
        // channels-first tensors (transposed back from the channels-last inside).
        const kind = a % 5;
        if (kind === 0) return push({ name, type: 'Activation', activation: 'softmax' });
        if (kind === 1)
          return push(
            { name, type: 'Dense', units: 1 + (b % 3) },
            dataFormat === 'channels_first' ? channels : 1 + (b % 3),
          );
        if (kind === 2) return push({ name, type: 'BatchNormalization', axis: 1 });
        if (kind === 3) {
          const from = last;
          push({ name: `${name}_conv`, type: `Conv${d}`, filters: channels, kernelSize: 1 });
          layers.push({ name, inputs: [from, `${name}_conv`], type: 'Concatenate', axis: 1 });
          last = name;
          return;
        }
        // A Reshape that keeps the last axis, then a Permute that swaps it back and forth.
        push({
          name: `${name}_reshape`,
          type: 'Reshape',
          targetShape:
            rank === 1
              ? [-1, shapeLast(layers, dataFormat, channels)]
              : [-1, 1, shapeLast(layers, dataFormat, channels)],
        });
        return push({ name, type: 'Permute', dims: rank === 1 ? [1, 2] : [2, 1, 3] });
      }
      case 'time':
        if (dataFormat === 'channels_first') return;
        return push(
          rank === 1
            ? { name, type: 'TimeDistributed', layer: { type: 'Dense', units: 1 + (a % 3) } }
            : {
                name,
                type: 'TimeDistributed',
                layer: { type: 'Conv1D', filters: 1 + (a % 3), kernelSize: 1 + (b % 2), padding: 'same' },
              },
          1 + (a % 3),
        );
    }
  });
  if (head === 'flatten-dense') {
    push({ name: 'flat', type: 'Flatten' });
    push({ name: 'out', type: 'Dense', units: 3, activation: 'softmax' });
  } else if (head === 'gap') push({ name: 'gap', type: `GlobalAveragePooling${d}` });
  else if (head === 'gmp-keepdims') push({ name: 'gmp', type: `GlobalMaxPooling${d}`, keepdims: true });
  return layers;
}

/** The last axis' size so far: the channels, or (channels first) unknown here, so the channels too. */
function shapeLast(_layers: readonly Layer[], _dataFormat: string, channels: number): number {
  return channels;
}
