import { z } from 'zod';
import { bias, depthwiseKernel, pointwiseKernel } from '../model/weights';
import { elementCount, expand, joinChannels } from '../shape/shape';
import { activation, dilationRate, kernelSize, padding, strides, units, useBias, type PaddingSpec } from './fields';
import { featureMap, isIssue } from './feature-map';
import { product, strideDilationIssues } from './conv';
import { defineLayer, failed, type InferContext, type Inference } from './kind';
import { slide } from './window';

const depthwiseFields = {
  kernelSize: kernelSize(2).describe('Size of each per-channel filter.'),
  strides: strides(2).default(1),
  padding: padding(2).default('valid'),
  depthMultiplier: units('depth multiplier').default(1).describe('Filters per input channel.'),
  dilationRate: dilationRate(2).default(1),
  useBias,
  activation,
};

interface DepthwiseFields {
  readonly type: string;
  readonly kernelSize: number | readonly number[];
  readonly strides: number | readonly number[];
  readonly padding: PaddingSpec;
  readonly depthMultiplier: number;
  readonly dilationRate: number | readonly number[];
  readonly useBias: boolean;
  readonly filters?: number;
}

/**
 * Depthwise convolution: each input channel gets its own `depthMultiplier` filters and is never
 * mixed with the others (a convolution with groups = channels). A separable convolution follows
 * it with a 1×1 "pointwise" convolution that mixes channels (Chollet 2017, Xception).
 * MACs: positions × in·m × ∏k, plus positions × in·m × filters for the pointwise step.
 */
function inferDepthwise(ctx: InferContext<DepthwiseFields>): Inference {
  const { spec, format } = ctx;
  const x = featureMap(spec.type, ctx.inputs[0] ?? [], 2, format);
  if (isIssue(x)) return failed(x);
  const kernel = expand(spec.kernelSize, 2);
  const stride = expand(spec.strides, 2);
  const dilation = expand(spec.dilationRate, 2);
  const s = slide({ what: 'kernel', spatial: x.spatial, kernel, strides: stride, dilation, padding: spec.padding });
  if (s.issues.length) return failed(...s.issues);
  const depth = x.channels * spec.depthMultiplier;
  const positions = elementCount(s.output);
  const separable = spec.filters !== undefined;
  const out = spec.filters ?? depth;
  const weights = separable
    ? [depthwiseKernel(kernel, x.channels, spec.depthMultiplier, 'depthwise.weight'), pointwiseKernel(2, depth, out)]
    : [depthwiseKernel(kernel, x.channels, spec.depthMultiplier)];
  if (spec.useBias) weights.push(bias(out, separable ? 'pointwise.bias' : 'bias'));
  const perPosition = depth * product(kernel) + (separable ? depth * out : 0);
  return {
    output: joinChannels(s.output, out, format),
    weights,
    macs: positions === null ? null : positions * perPosition,
    field: s.windows,
    geometry: s.geometry,
    issues: strideDilationIssues(spec.type, stride, dilation),
  };
}

export const depthwiseConv2d = defineLayer({
  type: 'DepthwiseConv2D',
  template: { kernelSize: 3 },
  category: 'convolution',
  summary: 'Filters each channel on its own (groups = channels); no mixing across channels.',
  schema: z.strictObject({ type: z.literal('DepthwiseConv2D'), ...depthwiseFields }),
  arity: 'one',
  infer: inferDepthwise,
});

export const separableConv2d = defineLayer({
  type: 'SeparableConv2D',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'A depthwise convolution followed by a 1×1 convolution that mixes channels.',
  schema: z.strictObject({
    type: z.literal('SeparableConv2D'),
    filters: units('filters').describe('Output channels of the pointwise (1×1) step.'),
    ...depthwiseFields,
  }),
  arity: 'one',
  infer: inferDepthwise,
});
