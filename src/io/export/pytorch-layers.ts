import type { LayerResult } from '../../engine/analysis/result';
import type { LayerSpec } from '../../engine/layers/registry';
import { channelAxis, expand, type DataFormat } from '../../engine/shape/shape';
import { activation } from './pytorch-activation';
import { channelsOf, conv, pooling, torchPads, transposed } from './pytorch-windows';
import type { Helper } from './pytorch-helpers';
import { normalizationModule } from './pytorch-preprocessing';
import { pyNumber, pyString } from './python-text';
import { torchSequenceLayer } from './pytorch-sequence';

export interface LayerCode {
  /** The module built in __init__, if any. */
  readonly module?: string;
  /** forward() lines that assign the layer's output. */
  readonly lines: readonly string[];
  readonly helpers?: readonly Helper[];
}

export interface LayerContext {
  readonly spec: LayerSpec;
  readonly layer: LayerResult;
  readonly format: DataFormat;
  /** `self.<name>`: the layer's module. */
  readonly self: string;
  /** Variables holding the inputs. */
  readonly x: readonly string[];
  /** Variable for the output. */
  readonly out: string;
}

const tuple = (xs: readonly (number | string)[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/** The PyTorch code of one layer, or why it cannot be written. */
export function torchLayer(ctx: LayerContext): LayerCode | string {
  const { spec, layer, format, self, out } = ctx;
  const x = ctx.x[0] as string;
  const rank = (layer.inputShapes[0]?.length ?? 1) - 1;
  const inC = channelsOf(layer, format);
  const cl = format === 'channels_last';
  switch (spec.type) {
    case 'Input':
      return { lines: [] };
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return conv(ctx, x);
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return transposed(ctx, x);
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D':
      return pooling(ctx, x);
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling3D': {
      const dims = tuple(Array.from({ length: rank }, (_, i) => i + 2));
      const op = spec.type.startsWith('GlobalMax') ? 'amax' : 'mean';
      return { lines: [`${out} = ${x}.${op}(dim=${dims}, keepdim=${spec.keepdims ? 'True' : 'False'})`] };
    }
    case 'BatchNormalization': {
      const total = rank + 1;
      const axis =
        spec.axis === undefined ? channelAxis(total, format) : spec.axis < 0 ? total + spec.axis : spec.axis - 1;
      if (axis !== channelAxis(total, format))
        return 'batch normalisation over an axis other than the channels has no PyTorch layer.';
      if (spec.center !== spec.scale)
        return "center and scale differ: PyTorch's batch norm learns both or neither (affine).";
      const Norm = rank <= 1 ? 'nn.BatchNorm1d' : rank === 2 ? 'nn.BatchNorm2d' : 'nn.BatchNorm3d';
      return {
        module: `${Norm}(${inC}, eps=${pyNumber(spec.epsilon)}, momentum=${pyNumber(round(1 - spec.momentum))}, affine=${spec.scale ? 'True' : 'False'})`,
        lines: [`${out} = ${self}(${x})`],
      };
    }
    case 'Activation':
      return { lines: [`${out} = ${activation(spec.activation, x, format, spec.alpha)}`] };
    case 'Dropout':
      return { module: `nn.Dropout(p=${pyNumber(spec.rate)})`, lines: [`${out} = ${self}(${x})`] };
    case 'Rescaling':
      return { lines: [`${out} = ${x} * ${pyNumber(spec.scale)} + ${pyNumber(spec.offset)}`] };
    case 'Normalization':
      return normalizationModule(ctx, x);
    case 'Dense': {
      const features = layer.inputShapes[0]?.at(-1) ?? 0;
      const applied = rank >= 1 && cl ? `to_channels_first(${self}(to_channels_last(${x})))` : `${self}(${x})`;
      return {
        module: `nn.Linear(${features}, ${spec.units}, bias=${spec.useBias ? 'True' : 'False'})`,
        lines: [`${out} = ${activation(spec.activation, applied, format)}`],
        helpers: rank >= 1 && cl ? ['layout'] : [],
      };
    }
    case 'Flatten':
      // Keras flattens in H, W, C order: a channels-last model's Dense weights expect that order.
      return rank >= 1 && cl
        ? { lines: [`${out} = torch.flatten(to_channels_last(${x}), 1)`], helpers: ['layout'] }
        : { lines: [`${out} = torch.flatten(${x}, 1)`] };
    case 'Reshape':
      return layoutOp(ctx, x, `.reshape(${x}.shape[0], ${spec.targetShape.join(', ')})`);
    case 'Permute':
      return layoutOp(ctx, x, `.permute(0, ${spec.dims.join(', ')})`);
    case 'Slice':
      return layoutOp(ctx, x, `[${':, '.repeat(spec.axis)}${spec.start}:${spec.end}]`);
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
    case 'ZeroPadding3D':
      return { lines: [`${out} = F.pad(${x}, ${tuple(torchPads(sidesOf(spec.padding, rank)))})`] };
    case 'Cropping1D':
    case 'Cropping2D':
    case 'Cropping3D':
      return {
        lines: [
          `${out} = ${x}[:, :, ${sidesOf(spec.cropping, rank)
            .map(([a, b]) => `${a || ''}:${b ? -b : ''}`)
            .join(', ')}]`,
        ],
      };
    case 'UpSampling1D':
    case 'UpSampling2D':
    case 'UpSampling3D': {
      const bilinear = spec.type === 'UpSampling2D' && spec.interpolation === 'bilinear';
      const mode = bilinear ? "mode='bilinear', align_corners=False" : "mode='nearest'";
      return {
        lines: [
          `${out} = F.interpolate(${x}, scale_factor=${tuple(expand(spec.size, rank).map((s) => `${s}.0`))}, ${mode})`,
        ],
      };
    }
    case 'Add':
      return { lines: [`${out} = ${ctx.x.join(' + ')}`] };
    case 'Multiply':
      return { lines: [`${out} = ${ctx.x.join(' * ')}`] };
    case 'Average':
      return { lines: [`${out} = (${ctx.x.join(' + ')}) / ${ctx.x.length}`] };
    case 'Maximum':
      return {
        lines: [`${out} = ${ctx.x.slice(1).reduce((acc, v) => `torch.maximum(${acc}, ${v})`, ctx.x[0] as string)}`],
      };
    case 'Concatenate': {
      const total = rank + 1;
      const axis =
        spec.axis === undefined ? channelAxis(total, format) : spec.axis < 0 ? total + spec.axis : spec.axis - 1;
      const dim = cl ? (axis === total - 1 ? 1 : axis + 2) : axis + 1;
      return { lines: [`${out} = torch.cat([${ctx.x.join(', ')}], dim=${dim})`] };
    }
    case 'TimeDistributed':
      return timeDistributed(ctx, x);
    case 'ResNetBasicBlock':
    case 'ResNetBottleneckBlock':
      return block(ctx, x, rank, inC);
    case 'NestedModel':
      // Written as a class of its own by pytorch-module.ts, which knows the whole file.
      return 'a nested model is written as a module class of its own.';
    case 'ZeroPadShortcut':
      return {
        module: `ZeroPadShortcut(${spec.filters}, ${tuple(expand(spec.strides, rank))})`,
        lines: [`${out} = ${self}(${x})`],
        helpers: ['ZeroPadShortcut'],
      };
    case 'PReLU':
    case 'LayerNormalization':
    case 'Embedding':
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
    case 'Bidirectional':
    case 'MultiHeadAttention':
    case 'TensorFlowOp':
    case 'Lambda':
      return torchSequenceLayer({ ...ctx, spec }, x);
  }
}

function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/** [before, after] per spatial axis, from Keras' padding forms. */
function sidesOf(value: number | readonly (number | readonly [number, number])[], rank: number): [number, number][] {
  if (typeof value === 'number') return Array.from({ length: rank }, () => [value, value]);
  if (rank === 1 && typeof value[0] === 'number' && value.length === 2) return [[value[0], value[1] as number]];
  return value.map((v) => (typeof v === 'number' ? [v, v] : [v[0], v[1]]));
}

/** Reshape and Permute act on the model's own layout: channels-last models switch to it and back. */
function layoutOp(ctx: LayerContext, x: string, op: string): LayerCode {
  const inRank = ctx.layer.inputShapes[0]?.length ?? 1;
  const outRank = ctx.layer.output?.length ?? 1;
  if (ctx.format !== 'channels_last') return { lines: [`${ctx.out} = ${x}${op}`] };
  const source = inRank >= 2 ? `to_channels_last(${x})` : x;
  const result = `${source}${op}`;
  return { lines: [`${ctx.out} = ${outRank >= 2 ? `to_channels_first(${result})` : result}`], helpers: ['layout'] };
}

function timeDistributed(ctx: LayerContext, x: string): LayerCode | string {
  const spec = ctx.spec as Extract<LayerSpec, { type: 'TimeDistributed' }>;
  const inner = spec.layer;
  if (inner.type === 'Activation')
    return { lines: [`${ctx.out} = ${activation(inner.activation, x, ctx.format, inner.alpha)}`] };
  if (inner.type === 'Dropout')
    return { module: `nn.Dropout(p=${pyNumber(inner.rate)})`, lines: [`${ctx.out} = ${ctx.self}(${x})`] };
  if (inner.type !== 'Dense')
    return `TimeDistributed(${inner.type}) is not written as PyTorch yet: only Dense, Activation and Dropout are.`;
  const features = ctx.layer.inputShapes[0]?.at(-1) ?? 0;
  const cl = ctx.format === 'channels_last' && (ctx.layer.inputShapes[0]?.length ?? 0) >= 2;
  const applied = cl ? `to_channels_first(${ctx.self}(to_channels_last(${x})))` : `${ctx.self}(${x})`;
  return {
    module: `nn.Linear(${features}, ${inner.units}, bias=${inner.useBias ? 'True' : 'False'})`,
    lines: [`${ctx.out} = ${activation(inner.activation, applied, ctx.format)}`],
    helpers: cl ? ['layout'] : [],
  };
}

function block(ctx: LayerContext, x: string, rank: number, inC: number): LayerCode {
  const spec = ctx.spec as Extract<LayerSpec, { type: 'ResNetBasicBlock' | 'ResNetBottleneckBlock' }>;
  const same = spec.padding === 'same' ? 'True' : 'False';
  const bias = spec.useBias ? 'True' : 'False';
  const module =
    spec.type === 'ResNetBasicBlock'
      ? `BasicBlock(${rank}, ${inC}, ${spec.filters}, ${spec.kernelSize}, ${spec.strides}, ${pyString(spec.shortcut)}, ${bias}, ${same})`
      : `Bottleneck(${rank}, ${inC}, ${spec.filters}, ${spec.expansion}, ${spec.kernelSize}, ${spec.strides}, ${pyString(spec.strideOn)}, ${pyString(spec.shortcut)}, ${bias}, ${same})`;
  return { module, lines: [`${ctx.out} = ${ctx.self}(${x})`], helpers: ['blocks'] };
}
