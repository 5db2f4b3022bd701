import { z } from 'zod';
import { error, warning, type Issue } from '../model/diagnostic';
import { bias, convKernel } from '../model/weights';
import { countOf } from '../text/plural';
import { elementCount, expand, joinChannels } from '../shape/shape';
import { activation, dilationRate, kernelSize, padding, strides, units, useBias, type PaddingSpec } from './fields';
import { featureMap, isIssue } from './feature-map';
import { defineLayer, failed, type InferContext, type Inference } from './kind';
import { slide } from './window';

function convSchema<T extends string>(type: T, rank: number) {
  return z.strictObject({
    type: z.literal(type),
    filters: units('filters').describe('Number of filters: each makes one output channel.'),
    kernelSize: kernelSize(rank).describe('Size of each filter along each spatial axis.'),
    strides: strides(rank).default(1).describe('Step between neighbouring windows.'),
    padding: padding(rank, true)
      .default('valid')
      .describe("'valid' (none), 'same' (keep size at stride 1), 'causal' (1-D, all on the left) or explicit."),
    dilationRate: dilationRate(rank).default(1).describe('Gap between kernel taps (1: none).'),
    groups: units('groups').default(1).describe('Split channels into groups convolved separately.'),
    useBias,
    activation,
  });
}

export interface ConvFields {
  readonly type: string;
  readonly filters: number;
  readonly kernelSize: number | readonly number[];
  readonly strides: number | readonly number[];
  readonly padding: PaddingSpec;
  readonly dilationRate: number | readonly number[];
  readonly groups: number;
  readonly useBias: boolean;
}

/**
 * A convolution with `rank` spatial axes. Its kernel is filters × in/groups × k… (PyTorch
 * order): every filter spans all the channels of its group and sums them into one output
 * channel. MACs = output positions × filters × (in/groups) × ∏k.
 */
export function inferConv(rank: number, ctx: InferContext<ConvFields>): Inference {
  const { spec, format } = ctx;
  const x = featureMap(spec.type, ctx.inputs[0] ?? [], rank, format);
  if (isIssue(x)) return failed(x);
  const kernel = expand(spec.kernelSize, rank);
  const stride = expand(spec.strides, rank);
  const dilation = expand(spec.dilationRate, rank);
  const issues: Issue[] = [...groupIssues(spec, x.channels), ...strideDilationIssues(spec.type, stride, dilation)];
  if (spec.padding === 'causal' && rank !== 1) {
    issues.push(
      error(
        'causal-not-1d',
        `'causal' padding is for sequences (Conv1D): it pads only the past. ` +
          `${rank === 2 ? 'A 2-D image' : 'A 3-D volume'} has no past; use 'same' or explicit padding.`,
      ),
    );
  }
  const s = slide({ what: 'kernel', spatial: x.spatial, kernel, strides: stride, dilation, padding: spec.padding });
  issues.push(...s.issues);
  if (issues.some((i) => i.severity === 'error')) return failed(...issues);
  const inPerGroup = x.channels / spec.groups;
  const positions = elementCount(s.output);
  return {
    output: joinChannels(s.output, spec.filters, format),
    weights: [convKernel(kernel, inPerGroup, spec.filters), ...(spec.useBias ? [bias(spec.filters)] : [])],
    macs: positions === null ? null : positions * spec.filters * inPerGroup * product(kernel),
    field: s.windows,
    geometry: s.geometry,
    issues,
  };
}

/** ∏ values (the number of taps of a kernel). */
export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

function groupIssues(spec: ConvFields, channels: number): Issue[] {
  if (spec.groups === 1) return [];
  const bad = [
    channels % spec.groups !== 0 && countOf(channels, 'input channel'),
    spec.filters % spec.groups !== 0 && countOf(spec.filters, 'filter'),
  ].filter(Boolean);
  if (bad.length === 0) return [];
  return [
    error(
      'groups-indivisible',
      `groups = ${spec.groups} must divide both the input channels and the filters, but not ${bad.join(' and ')}. ` +
        `Each group convolves channels/groups inputs into filters/groups outputs.`,
    ),
  ];
}

/** Keras and TensorFlow.js refuse stride > 1 together with dilation > 1; PyTorch accepts it. */
export function strideDilationIssues(type: string, stride: readonly number[], dilation: readonly number[]): Issue[] {
  if (!stride.some((s) => s > 1) || !dilation.some((d) => d > 1)) return [];
  return [
    warning(
      'stride-with-dilation',
      `${type} has both stride > 1 and dilation > 1. PyTorch accepts this, but Keras and TensorFlow.js refuse it ` +
        `("strides > 1 not supported in conjunction with dilation_rate > 1"). For those, use stride 1 and downsample ` +
        `in a separate layer.`,
    ),
  ];
}

export const conv1d = defineLayer({
  type: 'Conv1D',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'Slides filters along a sequence; each filter spans all input channels.',
  schema: convSchema('Conv1D', 1),
  arity: 'one',
  infer: (ctx) => inferConv(1, ctx),
});

export const conv2d = defineLayer({
  type: 'Conv2D',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'Slides filters over an image; each filter spans all input channels and makes one output channel.',
  schema: convSchema('Conv2D', 2),
  arity: 'one',
  infer: (ctx) => inferConv(2, ctx),
});

export const conv3d = defineLayer({
  type: 'Conv3D',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'Slides filters through a volume (video frames, scans); each filter spans all input channels.',
  schema: convSchema('Conv3D', 3),
  arity: 'one',
  infer: (ctx) => inferConv(3, ctx),
});
