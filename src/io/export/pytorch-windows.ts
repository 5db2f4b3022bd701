import type { LayerResult } from '../../engine/analysis/result';
import type { AxisGeometry } from '../../engine/layers/kind';
import type { LayerSpec } from '../../engine/layers/registry';
import { dilatedKernel, kerasTransposedPadding } from '../../engine/shape/conv-arithmetic';
import { expand, splitChannels, type DataFormat } from '../../engine/shape/shape';
import { activation } from './pytorch-activation';
import type { Helper } from './pytorch-helpers';
import type { LayerCode, LayerContext } from './pytorch-layers';

const tuple = (xs: readonly (number | string)[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/** Channels of a layer's first input. */
export function channelsOf(layer: LayerResult, format: DataFormat): number {
  const shape = layer.inputShapes[0];
  return shape ? ((splitChannels(shape, format).channels ?? 0) as number) : 0;
}

/** F.pad's order: the last axis first. */
export function torchPads(sides: readonly (readonly [number, number])[]): number[] {
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

export function conv(ctx: LayerContext, x: string): LayerCode {
  const spec = ctx.spec as Extract<
    LayerSpec,
    { type: 'Conv1D' | 'Conv2D' | 'Conv3D' | 'DepthwiseConv2D' | 'SeparableConv2D' }
  >;
  const geometry = ctx.layer.geometry ?? [];
  const Conv = `nn.Conv${geometry.length}d`;
  const inC = channelsOf(ctx.layer, ctx.format);
  const pad = padded(x, geometry, 'zero');
  const shape = `kernel_size=${tuple(geometry.map((g) => g.kernel))}, stride=${tuple(geometry.map((g) => g.stride))}, padding=${pad.padding}, dilation=${tuple(geometry.map((g) => g.dilation))}`;
  const bias = spec.useBias ? 'True' : 'False';
  let module: string;
  let applied = `${ctx.self}(${pad.input})`;
  if (spec.type === 'Conv1D' || spec.type === 'Conv2D' || spec.type === 'Conv3D') {
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
export function transposed(ctx: LayerContext, x: string): LayerCode | string {
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

export function pooling(ctx: LayerContext, x: string): LayerCode | string {
  const spec = ctx.spec as Extract<LayerSpec, { type: `${'Max' | 'Average'}Pooling${'1D' | '2D' | '3D'}` }>;
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
