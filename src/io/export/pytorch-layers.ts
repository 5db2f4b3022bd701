import type { LayerResult } from '../../engine/analysis/result';
import type { AxisGeometry } from '../../engine/layers/kind';
import type { LayerSpec } from '../../engine/layers/registry';
import { dilatedKernel, kerasTransposedPadding } from '../../engine/shape/conv-arithmetic';
import { channelAxis, expand, splitChannels, type DataFormat } from '../../engine/shape/shape';
import { LEAKY_SLOPE } from './keras-graph';
import type { Helper } from './pytorch-helpers';

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
const py = (n: number) => (Number.isInteger(n) ? String(n) : String(n));

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
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return conv(ctx, x);
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return transposed(ctx, x);
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return pooling(ctx, x);
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D': {
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
        module: `${Norm}(${inC}, eps=${py(spec.epsilon)}, momentum=${py(round(1 - spec.momentum))}, affine=${spec.scale ? 'True' : 'False'})`,
        lines: [`${out} = ${self}(${x})`],
      };
    }
    case 'Activation':
      return { lines: [`${out} = ${activation(spec.activation, x, format, spec.alpha)}`] };
    case 'Dropout':
      return { module: `nn.Dropout(p=${py(spec.rate)})`, lines: [`${out} = ${self}(${x})`] };
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
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
      return { lines: [`${out} = F.pad(${x}, ${tuple(torchPads(sidesOf(spec.padding, rank)))})`] };
    case 'Cropping1D':
    case 'Cropping2D':
      return {
        lines: [
          `${out} = ${x}[:, :, ${sidesOf(spec.cropping, rank)
            .map(([a, b]) => `${a || ''}:${b ? -b : ''}`)
            .join(', ')}]`,
        ],
      };
    case 'UpSampling1D':
    case 'UpSampling2D': {
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
    case 'ZeroPadShortcut':
      return {
        module: `ZeroPadShortcut(${spec.filters}, ${tuple(expand(spec.strides, rank))})`,
        lines: [`${out} = ${self}(${x})`],
        helpers: ['ZeroPadShortcut'],
      };
  }
}

function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

function channelsOf(layer: LayerResult, format: DataFormat): number {
  const shape = layer.inputShapes[0];
  return shape ? ((splitChannels(shape, format).channels ?? 0) as number) : 0;
}

/** A Keras activation as a PyTorch expression. Softmax runs over the model's last axis, as Keras does. */
function activation(name: string, x: string, format: DataFormat, alpha?: number): string {
  const dim = format === 'channels_last' ? 1 : -1;
  const table: Record<string, string> = {
    linear: x,
    relu: `F.relu(${x})`,
    relu6: `F.relu6(${x})`,
    leaky_relu: `F.leaky_relu(${x}, ${py(alpha ?? LEAKY_SLOPE)})`,
    elu: `F.elu(${x}, ${py(alpha ?? 1)})`,
    selu: `F.selu(${x})`,
    gelu: `F.gelu(${x})`,
    silu: `F.silu(${x})`,
    swish: `F.silu(${x})`,
    sigmoid: `torch.sigmoid(${x})`,
    hard_sigmoid: `F.hardsigmoid(${x})`,
    hard_swish: `F.hardswish(${x})`,
    tanh: `torch.tanh(${x})`,
    softmax: `F.softmax(${x}, dim=${dim})`,
    softplus: `F.softplus(${x})`,
    softsign: `F.softsign(${x})`,
    mish: `F.mish(${x})`,
  };
  return table[name] ?? x;
}

/** [before, after] per spatial axis, from Keras' padding forms. */
function sidesOf(value: number | readonly (number | readonly [number, number])[], rank: number): [number, number][] {
  if (typeof value === 'number') return Array.from({ length: rank }, () => [value, value]);
  if (rank === 1 && typeof value[0] === 'number' && value.length === 2) return [[value[0], value[1] as number]];
  return value.map((v) => (typeof v === 'number' ? [v, v] : [v[0], v[1]]));
}

/** F.pad's order: the last axis first. */
function torchPads(sides: readonly (readonly [number, number])[]): number[] {
  return [...sides].reverse().flat();
}

/** How the input is padded: by the module (symmetric), by F.pad (known), or at run time ('same'). */
function padded(x: string, geometry: readonly AxisGeometry[], value: 'zero' | 'max', maxSymmetric = Infinity) {
  const pads = geometry.map((g) => g.padding);
  if (pads.every((p) => p !== null && p[0] === p[1] && p[0] <= maxSymmetric)) {
    return {
      input: x,
      padding: tuple(pads.map((p) => (p as readonly number[])[0] as number)),
      helpers: [] as Helper[],
    };
  }
  const fill = value === 'max' ? ", value=float('-inf')" : '';
  if (pads.every((p) => p !== null)) {
    return {
      input: `F.pad(${x}, ${tuple(torchPads(pads as [number, number][]))}${fill})`,
      padding: tuple(pads.map(() => 0)),
      helpers: [] as Helper[],
    };
  }
  const k = tuple(geometry.map((g) => g.kernel));
  const s = tuple(geometry.map((g) => g.stride));
  const d = tuple(geometry.map((g) => g.dilation));
  return {
    input: `pad_same(${x}, ${k}, ${s}, ${d}${fill})`,
    padding: tuple(pads.map(() => 0)),
    helpers: ['pad_same'] as Helper[],
  };
}

function conv(ctx: LayerContext, x: string): LayerCode {
  const spec = ctx.spec as Extract<LayerSpec, { type: 'Conv1D' | 'Conv2D' | 'DepthwiseConv2D' | 'SeparableConv2D' }>;
  const geometry = ctx.layer.geometry ?? [];
  const rank = geometry.length;
  const Conv = rank === 1 ? 'nn.Conv1d' : 'nn.Conv2d';
  const inC = channelsOf(ctx.layer, ctx.format);
  const pad = padded(x, geometry, 'zero');
  const shape = `kernel_size=${tuple(geometry.map((g) => g.kernel))}, stride=${tuple(geometry.map((g) => g.stride))}, padding=${pad.padding}, dilation=${tuple(geometry.map((g) => g.dilation))}`;
  const bias = spec.useBias ? 'True' : 'False';
  let module: string;
  let applied = `${ctx.self}(${pad.input})`;
  if (spec.type === 'Conv1D' || spec.type === 'Conv2D') {
    module = `${Conv}(${inC}, ${spec.filters}, ${shape}, groups=${spec.groups}, bias=${bias})`;
  } else if (spec.type === 'DepthwiseConv2D') {
    module = `${Conv}(${inC}, ${inC * spec.depthMultiplier}, ${shape}, groups=${inC}, bias=${bias})`;
  } else {
    const depth = inC * spec.depthMultiplier;
    module = `nn.ModuleDict({"depthwise": ${Conv}(${inC}, ${depth}, ${shape}, groups=${inC}, bias=False), "pointwise": ${Conv}(${depth}, ${spec.filters}, 1, bias=${bias})})`;
    applied = `${ctx.self}["pointwise"](${ctx.self}["depthwise"](${pad.input}))`;
  }
  return { module, lines: [`${ctx.out} = ${activation(spec.activation, applied, ctx.format)}`], helpers: pad.helpers };
}

/**
 * A transposed convolution: PyTorch crops the same on both sides, so it crops the smaller side
 * and the output is sliced by the difference (Keras 'same' crops the odd pixel at the end).
 */
function transposed(ctx: LayerContext, x: string): LayerCode | string {
  const spec = ctx.spec as Extract<LayerSpec, { type: 'Conv1DTranspose' | 'Conv2DTranspose' }>;
  const geometry = ctx.layer.geometry ?? [];
  const rank = geometry.length;
  const outputPadding = spec.outputPadding === null ? null : expand(spec.outputPadding, rank);
  const axes = geometry.map((g, i) => {
    const [p0, p1] = g.padding ?? [0, 0];
    const op =
      spec.padding === 'valid' || spec.padding === 'same'
        ? outputPadding === null
          ? kerasTransposedPadding(spec.padding, g.kernel, g.stride, g.dilation).outputPadding
          : (outputPadding[i] ?? 0)
        : (outputPadding?.[i] ?? 0);
    return {
      p: Math.min(p0, p1),
      op,
      start: Math.max(p0 - p1, 0),
      end: Math.max(p1 - p0, 0),
      span: dilatedKernel(g.kernel, g.dilation),
    };
  });
  const Conv = rank === 1 ? 'nn.ConvTranspose1d' : 'nn.ConvTranspose2d';
  const module = `${Conv}(${channelsOf(ctx.layer, ctx.format)}, ${spec.filters}, kernel_size=${tuple(geometry.map((g) => g.kernel))}, stride=${tuple(geometry.map((g) => g.stride))}, padding=${tuple(axes.map((a) => a.p))}, output_padding=${tuple(axes.map((a) => a.op))}, groups=${spec.groups}, bias=${spec.useBias ? 'True' : 'False'}, dilation=${tuple(geometry.map((g) => g.dilation))})`;
  const crop = axes.some((a) => a.start || a.end)
    ? `[:, :, ${axes.map((a) => `${a.start || ''}:${a.end ? -a.end : ''}`).join(', ')}]`
    : '';
  return { module, lines: [`${ctx.out} = ${activation(spec.activation, `${ctx.self}(${x})${crop}`, ctx.format)}`] };
}

function pooling(ctx: LayerContext, x: string): LayerCode | string {
  const spec = ctx.spec as Extract<
    LayerSpec,
    { type: 'MaxPooling1D' | 'MaxPooling2D' | 'AveragePooling1D' | 'AveragePooling2D' }
  >;
  const geometry = ctx.layer.geometry ?? [];
  const rank = geometry.length;
  const max = spec.type.startsWith('Max');
  const k = tuple(geometry.map((g) => g.kernel));
  const s = tuple(geometry.map((g) => g.stride));
  const tfSame = spec.padding === 'same';
  // PyTorch's pooling takes at most half the window as padding; more goes through F.pad.
  const pad = padded(x, geometry, max ? 'max' : 'zero', Math.min(...geometry.map((g) => Math.floor(g.kernel / 2))));
  const viaPad = pad.input !== x;
  if (spec.ceilMode && viaPad)
    return 'ceil mode with padding PyTorch pooling cannot take directly (asymmetric, or over half the window) has no exact PyTorch equivalent.';
  const Pool = `nn.${max ? 'Max' : 'Avg'}Pool${rank}d`;
  if (!max && tfSame && viaPad) {
    return { lines: [`${ctx.out} = avg_pool_same(${x}, ${k}, ${s})`], helpers: ['avg_pool_same'] };
  }
  const extra = !max && tfSame ? ', count_include_pad=False' : '';
  return {
    module: `${Pool}(kernel_size=${k}, stride=${s}, padding=${pad.padding}, ceil_mode=${spec.ceilMode ? 'True' : 'False'}${extra})`,
    lines: [`${ctx.out} = ${ctx.self}(${pad.input})`],
    helpers: pad.helpers,
  };
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
    return { module: `nn.Dropout(p=${py(inner.rate)})`, lines: [`${ctx.out} = ${ctx.self}(${x})`] };
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
      ? `BasicBlock(${rank}, ${inC}, ${spec.filters}, ${spec.kernelSize}, ${spec.strides}, "${spec.shortcut}", ${bias}, ${same})`
      : `Bottleneck(${rank}, ${inC}, ${spec.filters}, ${spec.expansion}, ${spec.kernelSize}, ${spec.strides}, "${spec.strideOn}", "${spec.shortcut}", ${bias}, ${same})`;
  return { module, lines: [`${ctx.out} = ${ctx.self}(${x})`], helpers: ['blocks'] };
}
