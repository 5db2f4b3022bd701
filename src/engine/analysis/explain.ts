import type { AxisGeometry } from '../layers/kind';
import type { LayerSpec } from '../layers/registry';
import { diagnosticText } from '../model/diagnostic';
import { writeFilter, writeShape, type Notation } from '../notation';
import { dilatedKernel } from '../shape/conv-arithmetic';
import { formatCount, formatShape } from '../shape/format';
import { elementCount, splitChannels, type DataFormat, type Shape } from '../shape/shape';
import { countOf, noun, ordinal } from '../text/plural';
import { explainSequenceLayer } from './explain-sequence';
import type { LayerResult } from './result';

/**
 * "Why this shape", in plain words, for one layer: what it computes and the arithmetic that
 * gives its output size, e.g. "16×32×32: 16 filters, each 3×3×3; stride 1 and 'same' padding
 * keep 32×32." Shapes and kernels are written in `notation` (a filter is in × kH × kW in
 * PyTorch's, kH × kW × in in Keras').
 */
export function explainLayer(layer: LayerResult, format: DataFormat, notation: Notation): string {
  const spec = layer.spec;
  if (!spec || !layer.output) {
    const problem = layer.issues.find((i) => i.severity === 'error');
    return problem
      ? `Not built: ${diagnosticText(problem, format, notation)}`
      : 'Not built: a layer it depends on has a problem.';
  }
  const input = layer.inputShapes[0] ?? null;
  const inMap = input ? splitChannels(input, format) : null;
  const written: Written = { fmt: (s) => writeShape(s, format, notation), notation, format };
  const body = describe(spec, layer, layer.output, input, inMap?.channels ?? null, written);
  return `${written.fmt(layer.output)}: ${body}`;
}

/** How this explanation writes shapes and kernels. */
interface Written {
  readonly fmt: (s: Shape) => string;
  readonly notation: Notation;
  readonly format: DataFormat;
}

function describe(
  spec: LayerSpec,
  layer: LayerResult,
  output: Shape,
  input: Shape | null,
  channels: number | null,
  { fmt, notation, format }: Written,
): string {
  const geometry = layer.geometry ?? [];
  const kernelSize = geometry.map((g) => g.kernel).join('×');
  switch (spec.type) {
    case 'Input':
      return `one example (the batch axis is left out)${spec.shape.includes(null) ? '; ? marks a size the model accepts at any value' : ''}.`;
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      const depth = (channels ?? 0) / spec.groups;
      const spans =
        spec.groups === 1
          ? channels === 1
            ? 'each filter spans the one input channel and makes one output channel'
            : `each filter spans all ${countOf(channels ?? 0, 'input channel')} and sums them into one output channel`
          : `${spec.groups} groups: each filter sees ${depth} of the ${countOf(channels ?? 0, 'channel')}`;
      const each = writeFilter(
        geometry.map((g) => g.kernel),
        depth,
        notation,
      );
      return `${countOf(spec.filters, 'filter')}, each ${each} (${spans}); ${slidingText(geometry, spec.padding)}.`;
    }
    case 'DepthwiseConv2D':
      return `each of the ${countOf(channels ?? 0, 'channel')} is filtered on its own by ${spec.depthMultiplier} ${kernelSize} ${noun(spec.depthMultiplier, 'filter')}, so ${channels} × ${spec.depthMultiplier} channels come out; ${slidingText(geometry, spec.padding)}.`;
    case 'SeparableConv2D':
      return `a ${kernelSize} filter per channel (depthwise), then ${spec.filters} 1×1 ${noun(spec.filters, 'filter')} that mix the channels; ${slidingText(geometry, spec.padding)}.`;
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
      return `${countOf(spec.filters, 'filter')} of ${kernelSize}; stride ${geometry.map((g) => g.stride).join('×')} spreads the input out: ${geometry.map(transposedText).join(', ')}.`;
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D': {
      const op = spec.type.startsWith('Max') ? 'largest value' : 'average';
      return `the ${op} of each ${kernelSize} window, on each channel separately (the ${countOf(channels ?? 0, 'channel')} stay ${channels}); ${slidingText(geometry, spec.padding, spec.ceilMode)}.`;
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling3D':
      return `one ${spec.type.startsWith('GlobalMax') ? 'maximum' : 'average'} per channel over the whole ${input ? fmtSpatial(input, format) : ''} map, so the output is the same size for any input size.`;
    case 'BatchNormalization':
      return `the same shape: each of the ${countOf(channels ?? 0, 'channel')} is normalised with the batch's mean and variance, then scaled and shifted (γ, β learnt; running mean and variance kept for inference).`;
    case 'Activation':
      return `the same shape: ${spec.activation} is applied to every element.`;
    case 'Rescaling':
      return `the same shape: every element is multiplied by ${spec.scale}${spec.offset ? ` and ${spec.offset} added` : ''}.`;
    case 'Normalization':
      return `the same shape: ${spec.invert ? 'the normalisation is undone' : 'each element has a mean subtracted and is divided by a standard deviation'} (${spec.mean === undefined ? 'statistics set by adapt(), kept as non-trainable weights' : 'fixed statistics from the file'}).`;
    case 'Dropout':
      return `the same shape: during training ${Math.round(spec.rate * 100)}% of the elements are zeroed at random; at inference nothing changes.`;
    case 'Dense': {
      const features = input?.[input.length - 1] ?? 0;
      const positions = input && input.length > 1 ? ` at each of the ${formatShape(input.slice(0, -1))} positions` : '';
      const matrix =
        notation === 'pytorch' ? `a ${spec.units}×${features} weight` : `a ${features}×${spec.units} kernel`;
      return `${countOf(spec.units, 'unit')}, each a weighted sum of ${features === 1 ? 'the one input feature' : `all ${countOf(features, 'input feature')}`}${positions} (${matrix}, fixed when the model is built).`;
    }
    case 'Flatten':
      return `the ${input ? fmt(input) : ''} values laid out in one vector of ${layer.activationSize === null ? 'a length that depends on the input size' : formatCount(layer.activationSize)}. A Dense layer after it only fits this input size.`;
    case 'Reshape':
      return `the same ${formatCount(elementCount(output) ?? 0)} values, read in memory order into a new shape. Values do not move between positions: to swap axes, use Permute.`;
    case 'Permute':
      return `the axes reordered as (${spec.dims.join(', ')}): values move with their axes, as a transpose.`;
    case 'Slice':
      return `elements ${spec.start} to ${spec.end - 1} of axis ${spec.axis} kept (${input ? fmt(input) : ''} → ${fmt(output)}), as x[…, ${spec.start}:${spec.end}]; the rest is dropped.`;
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
    case 'ZeroPadding3D':
      return `zeros added around the borders (${input ? fmt(input) : ''} → ${fmt(output)}).`;
    case 'Cropping1D':
    case 'Cropping2D':
      return `rows and columns cut off the borders (${input ? fmt(input) : ''} → ${fmt(output)}).`;
    case 'Cropping3D':
      return `planes cut off the borders along depth, height and width (${input ? fmt(input) : ''} → ${fmt(output)}).`;
    case 'UpSampling1D':
    case 'UpSampling2D':
    case 'UpSampling3D':
      return `each position repeated ${[spec.size].flat().join('×')} times along each axis${spec.interpolation === 'bilinear' ? ' (bilinear interpolation)' : ''}.`;
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
      return `its ${countOf(layer.inputs.length, 'input')} (${layer.inputs.join(', ')}) combined element by element, so they must have one shape.`;
    case 'Concatenate':
      return `its inputs stacked along one axis: ${layer.inputShapes.map((s) => (s ? fmt(s) : '?')).join(' + ')}.`;
    case 'TimeDistributed':
      return `${spec.layer.type} applied to ${typeof output[0] === 'number' ? `each of the ${countOf(output[0], 'step')}` : 'every step'} with one set of weights.`;
    case 'ResNetBasicBlock':
    case 'ResNetBottleneckBlock':
      return blockText(spec, layer, channels);
    case 'NestedModel':
      return `a whole model of ${countOf(spec.layers.length, 'layer')} used as one layer; open it to see each.`;
    case 'ZeroPadShortcut':
      return `every ${spec.strides === 1 ? '' : `${[spec.strides].flat()[0]}th `}position, with zero channels appended up to ${spec.filters}; no weights.`;
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
      return explainSequenceLayer(spec, input?.[0] ?? null);
  }
}

/** "stride 1 and 'same' padding keep 32×32" or "⌊(32 + 1 + 1 − 3)/2⌋ + 1 = 16 per axis". */
function slidingText(geometry: readonly AxisGeometry[], padding: unknown, ceilMode = false): string {
  const first = geometry[0];
  if (!first) return '';
  const same = geometry.every(
    (g) =>
      g.input === first.input &&
      g.kernel === first.kernel &&
      g.stride === first.stride &&
      g.dilation === first.dilation &&
      g.padding?.join() === first.padding?.join(),
  );
  const axes = same ? [first] : geometry;
  const keeps = geometry.every((g) => g.input !== null && g.input === g.output);
  if (keeps) {
    const size = geometry.map((g) => g.input).join('×');
    return `stride 1 and ${paddingName(padding, geometry)} keep ${size}`;
  }
  return axes.map((g) => axisText(g, ceilMode)).join('; ') + (same && geometry.length > 1 ? ' on each axis' : '');
}

/** The padding by its name, or by its sizes when given per side: "padding 1 on each side". */
function paddingName(padding: unknown, geometry: readonly AxisGeometry[]): string {
  if (padding === 'same') return "'same' padding";
  if (padding === 'causal') return "'causal' padding";
  if (padding === 'valid') return "no padding ('valid')";
  if (typeof padding === 'number') return `padding ${padding}`;
  const sides = geometry.map((g) => g.padding ?? [0, 0]);
  const [before, after] = sides[0] ?? [0, 0];
  if (sides.every(([b, a]) => b === before && a === after)) {
    return before === after ? `padding ${before} on each side` : `padding ${before} before and ${after} after`;
  }
  return `padding ${sides.map(([b, a]) => `${b}+${a}`).join(', ')} (before+after, per axis)`;
}

function axisText(g: AxisGeometry, ceilMode: boolean): string {
  if (g.input === null || g.output === null || !g.padding) return `stride ${g.stride} over a size that is not fixed`;
  const span = dilatedKernel(g.kernel, g.dilation);
  const pad = g.padding[0] + g.padding[1];
  const [open, close] = ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const dilated = g.dilation > 1 ? ` (a ${g.kernel}-tap kernel with dilation ${g.dilation} spans ${span})` : '';
  const padded = pad > 0 ? ` + ${g.padding[0]} + ${g.padding[1]}` : '';
  return `${open}(${g.input}${padded} − ${span})/${g.stride}${close} + 1 = ${g.output}${dilated}`;
}

function transposedText(g: AxisGeometry): string {
  const pad = g.padding ? g.padding[0] + g.padding[1] : 0;
  return `(${g.input} − 1)·${g.stride} − ${pad} + ${dilatedKernel(g.kernel, g.dilation)} = ${g.output ?? '?'}`;
}

function fmtSpatial(input: Shape, format: DataFormat): string {
  return formatShape(splitChannels(input, format).spatial);
}

function blockText(
  spec: Extract<LayerSpec, { type: 'ResNetBasicBlock' | 'ResNetBottleneckBlock' }>,
  layer: LayerResult,
  channels: number | null,
): string {
  const conv = layer.children?.find(
    (c) => c.name === (spec.type === 'ResNetBasicBlock' || spec.strideOn === 'conv1' ? 'conv1' : 'conv2'),
  );
  const out = spec.type === 'ResNetBasicBlock' ? spec.filters : spec.filters * spec.expansion;
  const convs =
    spec.type === 'ResNetBasicBlock'
      ? `two ${spec.kernelSize}×${spec.kernelSize} convolutions with ${countOf(spec.filters, 'filter')}`
      : `1×1, ${spec.kernelSize}×${spec.kernelSize} and 1×1 convolutions with ${spec.filters}, ${spec.filters} and ${countOf(out, 'filter')}`;
  const sizing =
    spec.strides === 1
      ? `stride 1 and padding keep the size`
      : `stride ${spec.strides} ${spec.strides === 2 ? 'halves the size' : `divides the size by ${spec.strides}`} (${conv?.geometry?.map((g) => `${g.input}→${g.output}`).join(', ')})`;
  const shortcut = layer.children?.some((c) => c.name === 'shortcut')
    ? `the shortcut takes every ${ordinal(spec.strides)} position and pads ${countOf(out - (channels ?? 0), 'zero channel')} (option A)`
    : layer.children?.some((c) => c.name === 'shortcut_conv')
      ? `the shortcut is a 1×1 convolution with stride ${spec.strides} and ${countOf(out, 'filter')} (option B)`
      : 'the shortcut is the input itself';
  return `${convs}, so ${countOf(out, 'channel')} come out; ${sizing}; ${shortcut}, added to the result.`;
}
