import { z } from 'zod';
import { error, type Issue } from '../../model/diagnostic';
import type { ModelLayer } from '../../model/model';
import { prefixWeight } from '../../model/weights';
import { int, LIMITS, units } from '../fields';
import { featureMap, isIssue } from '../feature-map';
import { defineLayer, failed, type InferContext, type Inference, type LayerKind, type SubAnalysis } from '../kind';
import { addLayer, batchNormLayer, convLayer, reluLayer } from './specs';
import { shortcutLayers } from './shortcut';

const blockFields = {
  strides: int(1, LIMITS.stride, 'stride').default(1).describe('Stride of the block (2 halves the size).'),
  shortcut: z
    .enum(['A', 'B'])
    .default('B')
    .describe("When shapes change: 'A' zero-pads (no weights), 'B' projects with a 1×1 convolution."),
  useBias: z.boolean().default(false).describe('Biases in the convolutions (batch norm makes them redundant).'),
  padding: z
    .enum(['symmetric', 'same'])
    .default('symmetric')
    .describe("'symmetric': k//2 on every side (PyTorch); 'same': TF/Keras."),
};

const basicSchema = z.strictObject({
  type: z.literal('ResNetBasicBlock'),
  filters: units('filters').describe('Filters of both convolutions: the channels the block outputs.'),
  kernelSize: int(1, LIMITS.kernel, 'kernel size')
    .default(3)
    .describe('Kernel size of both convolutions (3 in every ResNet).'),
  ...blockFields,
});

const bottleneckSchema = z.strictObject({
  type: z.literal('ResNetBottleneckBlock'),
  filters: units('filters').describe('Width of the inner convolutions; the block outputs filters × expansion.'),
  expansion: units('expansion')
    .default(4)
    .describe('How much wider the last 1×1 convolution makes the output than filters (4 in ResNet-50).'),
  kernelSize: int(1, LIMITS.kernel, 'kernel size')
    .default(3)
    .describe('Kernel size of the middle convolution; the first and last are 1×1.'),
  strideOn: z
    .enum(['conv1', 'conv2'])
    .default('conv2')
    .describe(
      "Which convolution strides: 'conv2', the 3×3 (torchvision's ResNet v1.5), or 'conv1', the first 1×1 (the paper, Keras).",
    ),
  ...blockFields,
});

type Build = (spatialRank: number, channels: number) => ModelLayer[];

/**
 * The basic residual block of He et al. 2015 (ResNet-18/34 and the CIFAR ResNets):
 * conv k×k (stride) → BN → ReLU → conv k×k → BN, plus the shortcut, then ReLU.
 */
export const resNetBasicBlock: LayerKind<z.output<typeof basicSchema>> = defineLayer({
  type: 'ResNetBasicBlock',
  template: { filters: 16 },
  category: 'block',
  summary: 'Two 3×3 convolutions with batch norm, added to a shortcut (He et al. 2015).',
  schema: basicSchema,
  arity: 'one',
  infer: (ctx): Inference =>
    inferBlock(ctx, (rank, channels): ModelLayer[] => {
      const { filters, kernelSize: k, strides: s, useBias } = ctx.spec;
      const pad = ctx.spec.padding === 'same' ? 'same' : Math.floor(k / 2);
      const shortcut = shortcutLayers(ctx.spec.shortcut, rank, channels, filters, s, useBias);
      return [
        convLayer('conv1', rank, filters, k, s, pad, useBias, ['input']),
        batchNormLayer('bn1'),
        reluLayer('relu1'),
        convLayer('conv2', rank, filters, k, 1, pad, useBias),
        batchNormLayer('bn2'),
        ...shortcut.layers,
        addLayer('add', ['bn2', shortcut.output]),
        reluLayer('relu2'),
      ];
    }),
});

/**
 * The bottleneck block of He et al. 2015 (ResNet-50/101/152): 1×1 reduce → k×k → 1×1 expand
 * to filters × expansion, each with batch norm, plus the shortcut, then ReLU. The stride sits
 * on the k×k convolution (torchvision's "v1.5") or on the first 1×1 (the paper and Keras).
 */
export const resNetBottleneckBlock: LayerKind<z.output<typeof bottleneckSchema>> = defineLayer({
  type: 'ResNetBottleneckBlock',
  template: { filters: 64 },
  category: 'block',
  summary: '1×1 reduce, 3×3, 1×1 expand (×4), added to a shortcut (ResNet-50 and deeper).',
  schema: bottleneckSchema,
  arity: 'one',
  infer: (ctx): Inference =>
    inferBlock(ctx, (rank, channels): ModelLayer[] => {
      const { filters, expansion, kernelSize: k, strides: s, useBias, strideOn } = ctx.spec;
      const pad = ctx.spec.padding === 'same' ? 'same' : Math.floor(k / 2);
      const out = filters * expansion;
      const shortcut = shortcutLayers(ctx.spec.shortcut, rank, channels, out, s, useBias);
      return [
        convLayer('conv1', rank, filters, 1, strideOn === 'conv1' ? s : 1, 'valid', useBias, ['input']),
        batchNormLayer('bn1'),
        reluLayer('relu1'),
        convLayer('conv2', rank, filters, k, strideOn === 'conv2' ? s : 1, pad, useBias),
        batchNormLayer('bn2'),
        reluLayer('relu2'),
        convLayer('conv3', rank, out, 1, 1, 'valid', useBias),
        batchNormLayer('bn3'),
        ...shortcut.layers,
        addLayer('add', ['bn3', shortcut.output]),
        reluLayer('relu3'),
      ];
    }),
});

function inferBlock(ctx: InferContext<{ type: string }>, build: Build): Inference {
  const input = ctx.inputs[0] ?? [];
  const x = featureMap(ctx.spec.type, input, null, ctx.format);
  if (isIssue(x)) return failed(x);
  if (x.spatial.length > 2)
    return failed(
      error(
        'wrong-rank',
        `${ctx.spec.type} works on sequences and images (1 or 2 spatial axes), not ${x.spatial.length}.`,
      ),
    );
  return composite(ctx.analyzeSub(build(x.spatial.length, x.channels), input));
}

/**
 * Sums a sub-graph into one layer's inference: its output is the last layer's; weights are
 * named `child/weight`; its field, measured from the sub-graph's input, is the block's window.
 */
export function composite(sub: SubAnalysis): Inference {
  const issues: Issue[] = sub.layers.flatMap((c) => c.issues.map((i) => ({ ...i, text: [`${c.name}: `, ...i.text] })));
  const failedInside = issues.some((i) => i.severity === 'error');
  let macs: number | null = 0;
  for (const c of sub.layers) macs = macs === null || c.macs === null ? null : macs + c.macs;
  const field = sub.output?.receptiveField;
  return {
    output: failedInside ? null : (sub.output?.output ?? null),
    weights: sub.layers.flatMap((c) =>
      c.weights.map((w) => prefixWeight(c.name, c.frozen ? { ...w, frozen: true } : w)),
    ),
    macs,
    field: field ? field.axes.map((a, from) => ({ from, ...a })) : null,
    issues,
    children: sub.layers,
  };
}
