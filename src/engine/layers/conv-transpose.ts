import { z } from 'zod';
import { error, type Issue } from '../model/diagnostic';
import { bias, transposedKernel } from '../model/weights';
import { countOf } from '../text/plural';
import {
  dilatedKernel,
  kerasTransposedPadding,
  transposedOutputLength,
  type SidePadding,
} from '../shape/conv-arithmetic';
import { elementCount, expand, joinChannels, type Dim } from '../shape/shape';
import type { AxisWindow } from '../analysis/receptive-field';
import {
  activation,
  dilationRate,
  kernelSize,
  padding,
  perAxis,
  strides,
  units,
  useBias,
  LIMITS,
  type PaddingSpec,
} from './fields';
import { featureMap, isIssue } from './feature-map';
import { product } from './conv';
import { defineLayer, failed, type AxisGeometry, type InferContext, type Inference } from './kind';

function transposeSchema<T extends string>(type: T, rank: number) {
  return z.strictObject({
    type: z.literal(type),
    filters: units('filters'),
    kernelSize: kernelSize(rank),
    strides: strides(rank).default(1).describe('Upsampling factor: output ≈ input × stride.'),
    padding: padding(rank).default('valid').describe("'valid', 'same' (output = input × stride) or explicit crop."),
    outputPadding: z.union([perAxis(rank, 0, LIMITS.stride, 'output padding'), z.null()]).default(null),
    dilationRate: dilationRate(rank).default(1),
    groups: units('groups').default(1),
    useBias,
    activation,
  });
}

interface TransposeFields {
  readonly type: string;
  readonly filters: number;
  readonly kernelSize: number | readonly number[];
  readonly strides: number | readonly number[];
  readonly padding: PaddingSpec;
  readonly outputPadding: number | readonly number[] | null;
  readonly dilationRate: number | readonly number[];
  readonly groups: number;
  readonly useBias: boolean;
}

/**
 * Padding and output padding of one axis. Keras' 'valid'/'same' without output padding follow
 * `deconv_output_length`; with output padding Keras pads k_eff//2 per side for 'same'
 * (`conv_utils.deconv_output_length`); explicit values are PyTorch's ConvTranspose `padding`.
 */
function axisCrop(spec: TransposeFields, outputPadding: number | null, i: number, k: number, s: number, d: number) {
  const mode = spec.padding;
  if (mode === 'valid' || mode === 'same') {
    if (outputPadding === null) return kerasTransposedPadding(mode, k, s, d);
    const p = mode === 'same' ? Math.floor(dilatedKernel(k, d) / 2) : 0;
    return { padding: [p, p] as SidePadding, outputPadding };
  }
  const entry = typeof mode === 'number' ? mode : ((mode as readonly (number | readonly [number, number])[])[i] ?? 0);
  const padding: SidePadding = typeof entry === 'number' ? [entry, entry] : [entry[0], entry[1]];
  return { padding, outputPadding: outputPadding ?? 0 };
}

/**
 * The window of output element 0 in input coordinates: output y receives input x when
 * y = x·s − p₀ + t·d for a tap t < k, so x runs from ⌈(p₀ − (k−1)·d)/s⌉ to ⌊p₀/s⌋. The jump is
 * 1/s: s outputs share each input step (sizes vary by position; this is element 0's).
 */
function transposedWindow(from: number, k: number, s: number, d: number, p0: number): AxisWindow {
  const first = Math.ceil((p0 - (k - 1) * d) / s);
  const last = Math.floor(p0 / s);
  return { from, size: Math.max(last - first + 1, 1), jump: 1 / s, start: first };
}

function inferTransposed(rank: number, ctx: InferContext<TransposeFields>): Inference {
  const { spec, format } = ctx;
  const x = featureMap(spec.type, ctx.inputs[0] ?? [], rank, format);
  if (isIssue(x)) return failed(x);
  if (x.channels % spec.groups !== 0 || spec.filters % spec.groups !== 0) {
    return failed(
      error(
        'groups-indivisible',
        `groups = ${spec.groups} must divide both the ${countOf(x.channels, 'input channel')} and the ${countOf(spec.filters, 'filter')}.`,
      ),
    );
  }
  const kernel = expand(spec.kernelSize, rank);
  const stride = expand(spec.strides, rank);
  const dilation = expand(spec.dilationRate, rank);
  const outputPadding = spec.outputPadding === null ? null : expand(spec.outputPadding, rank);
  const issues: Issue[] = [];
  const output: Dim[] = [];
  const geometry: AxisGeometry[] = [];
  const windows: AxisWindow[] = [];
  x.spatial.forEach((length, i) => {
    const [k, s, d] = [kernel[i] ?? 1, stride[i] ?? 1, dilation[i] ?? 1];
    const crop = axisCrop(spec, outputPadding?.[i] ?? null, i, k, s, d);
    if (crop.outputPadding >= Math.max(s, d)) {
      issues.push(
        error(
          'output-padding',
          `Output padding ${crop.outputPadding} must be smaller than the stride or the dilation (PyTorch's rule): it only chooses among the ${countOf(s, 'output size')} a stride-${s} convolution maps to the same input size.`,
        ),
      );
    }
    const out = length === null ? null : transposedOutputLength(length, k, s, d, crop.padding, crop.outputPadding);
    if (out !== null && out <= 0) {
      issues.push(
        error(
          'output-too-small',
          `Output would be ${out} along axis ${i + 1}: the padding (${crop.padding[0]} + ${crop.padding[1]}) crops more than the transposed convolution produces. Reduce the padding.`,
        ),
      );
    }
    output.push(out);
    geometry.push({ input: length, output: out, kernel: k, stride: s, dilation: d, padding: crop.padding });
    windows.push(transposedWindow(i, k, s, d, crop.padding[0]));
  });
  if (issues.length) return failed(...issues);
  const positions = elementCount(x.spatial);
  const outPerGroup = spec.filters / spec.groups;
  return {
    output: joinChannels(output, spec.filters, format),
    weights: [
      transposedKernel(kernel, x.channels, outPerGroup, spec.groups),
      ...(spec.useBias ? [bias(spec.filters)] : []),
    ],
    // Every input element is multiplied by a k… × filters/groups slab of the kernel.
    macs: positions === null ? null : positions * x.channels * outPerGroup * product(kernel),
    field: windows,
    geometry,
    issues,
  };
}

export const conv1dTranspose = defineLayer({
  type: 'Conv1DTranspose',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'Upsamples a sequence with learnt filters (the gradient of a strided Conv1D).',
  schema: transposeSchema('Conv1DTranspose', 1),
  arity: 'one',
  infer: (ctx) => inferTransposed(1, ctx),
});

export const conv2dTranspose = defineLayer({
  type: 'Conv2DTranspose',
  template: { filters: 32, kernelSize: 3 },
  category: 'convolution',
  summary: 'Upsamples an image with learnt filters (the gradient of a strided Conv2D).',
  schema: transposeSchema('Conv2DTranspose', 2),
  arity: 'one',
  infer: (ctx) => inferTransposed(2, ctx),
});
