import type { Diagnostic } from '../model/diagnostic';
import { applyEdits, changeKind, uniqueName, type Edit } from '../model/edits';
import type { ModelLayer } from '../model/model';
import { channelAxis, splitChannels, type DataFormat, type Dim } from '../shape/shape';
import { message, shapeSlot, type Message } from '../text/message';
import { countOf } from '../text/plural';
import { analyzeModel } from './analyze';
import type { Analysis, LayerResult } from './result';

/**
 * A one-click repair of a diagnostic: a label for the button (with its shapes as slots, written
 * like a diagnostic's text: `writeMessage(fix.label, format, notation)`) and the edits it makes.
 */
export interface Fix {
  readonly label: Message;
  readonly edits: readonly Edit[];
}

const checked = new WeakMap<Diagnostic, Fix[]>();

/**
 * The fixes ConvScope can offer for a diagnostic (none when the repair is a design choice). Each
 * is tried on the model first and offered only if it really repairs it: the problem is gone
 * from its layer and the model has fewer errors than before (a fix that moves the error to the
 * next layer, such as 'same' padding on a pool whose input is already one pixel high, is not a
 * fix). Remembered per diagnostic, so a screen that redraws asks only once.
 */
export function fixesFor(analysis: Analysis, diagnostic: Diagnostic): Fix[] {
  let fixes = checked.get(diagnostic);
  if (!fixes) {
    fixes = candidates(analysis, diagnostic).filter((fix) => repairs(analysis, diagnostic, fix));
    checked.set(diagnostic, fixes);
  }
  return fixes;
}

/** Whether applying `fix` removes the problem without leaving as many errors elsewhere. */
function repairs(analysis: Analysis, diagnostic: Diagnostic, fix: Fix): boolean {
  const errors = (a: Analysis) => a.diagnostics.filter((d) => d.severity === 'error').length;
  const after = analyzeModel(applyEdits(analysis.model, fix.edits), analysis);
  const still = after.diagnostics.some((d) => d.layer === diagnostic.layer && d.code === diagnostic.code);
  return (
    !still && (diagnostic.severity === 'warning' ? errors(after) <= errors(analysis) : errors(after) < errors(analysis))
  );
}

function candidates(analysis: Analysis, diagnostic: Diagnostic): Fix[] {
  const result = analysis.layers.find((l) => l.name === diagnostic.layer);
  const index = analysis.model.layers.findIndex((l) => l.name === diagnostic.layer);
  const layer = analysis.model.layers[index];
  if (!result || !layer?.spec) return [];
  const byName = (name: string | undefined) => analysis.layers.find((l) => l.name === name);
  switch (diagnostic.code) {
    case 'dense-unknown-input':
      return globalPoolingFix(analysis, byName(result.inputs[0]));
    case 'merge-mismatch':
      return shortcutFixes(analysis, result, index);
    case 'reshape-not-permute':
      return permuteFix(analysis, result);
    case 'output-too-small':
      return [
        ...reorderedInputFix(analysis.model.layers, analysis.model.dataFormat),
        ...('padding' in layer.spec
          ? [{ label: ["Use 'same' padding"], edits: [update(layer, { padding: 'same' })] }]
          : []),
      ];
    case 'causal-not-1d':
      return 'padding' in layer.spec
        ? [{ label: ["Use 'same' padding"], edits: [update(layer, { padding: 'same' })] }]
        : [];
    case 'groups-indivisible':
      return [{ label: ['Use groups = 1'], edits: [update(layer, { groups: 1 })] }];
    default:
      return [];
  }
}

function update(layer: ModelLayer, fields: Record<string, unknown>): Edit {
  return { kind: 'update', name: layer.name, spec: { ...layer.spec, ...fields } as never };
}

/** Flatten → Dense that only fits one image size: average each channel instead. */
function globalPoolingFix(analysis: Analysis, source: LayerResult | undefined): Fix[] {
  const before = source?.inputShapes[0];
  if (!source || source.spec?.type !== 'Flatten' || !before || before.length < 2 || before.length > 3) return [];
  const type = before.length === 2 ? 'GlobalAveragePooling1D' : 'GlobalAveragePooling2D';
  return [
    {
      label: [`Replace Flatten with ${type}`],
      edits: changeKind(analysis.model, source.name, { type, keepdims: false }),
    },
  ];
}

/**
 * Add of a downsampled, widened main path and an unchanged shortcut: give the shortcut a 1×1
 * projection with the stride (option B) or subsample and zero-pad it (option A).
 */
function shortcutFixes(analysis: Analysis, add: LayerResult, index: number): Fix[] {
  const format = analysis.model.dataFormat;
  const shapes = add.inputShapes;
  if (shapes.length !== 2 || !shapes[0] || !shapes[1] || shapes[0].length !== shapes[1].length) return [];
  const [a, b] = [splitChannels(shapes[0], format), splitChannels(shapes[1], format)];
  const shortcutIndex = (a.spatial[0] ?? 0) >= (b.spatial[0] ?? 0) ? 0 : 1;
  const [big, small] = shortcutIndex === 0 ? [a, b] : [b, a];
  const stride = big.spatial[0] && small.spatial[0] ? big.spatial[0] / small.spatial[0] : NaN;
  const rank = big.spatial.length;
  if (!Number.isInteger(stride) || small.channels === null || rank < 1 || rank > 2) return [];
  const shortcut = add.inputs[shortcutIndex] as string;
  const rewire = (to: string): Edit => ({
    kind: 'rewire',
    name: add.name,
    inputs: add.inputs.map((n, i) => (i === shortcutIndex ? to : n)),
  });
  const conv = uniqueName(analysis.model, `${add.name}_projection`);
  const bn = uniqueName(analysis.model, `${add.name}_projection_bn`);
  const pad = uniqueName(analysis.model, `${add.name}_shortcut`);
  const projection: Fix = {
    label: [`Project the shortcut: 1×1 convolution, stride ${stride}, ${countOf(small.channels, 'filter')} (option B)`],
    edits: [
      {
        kind: 'insert',
        index,
        layer: {
          name: conv,
          inputs: [shortcut],
          spec: {
            type: rank === 1 ? 'Conv1D' : 'Conv2D',
            filters: small.channels,
            kernelSize: 1,
            strides: stride,
            padding: 'valid',
            dilationRate: 1,
            groups: 1,
            useBias: false,
            activation: 'linear',
          },
        },
      },
      {
        kind: 'insert',
        index: index + 1,
        layer: {
          name: bn,
          inputs: [conv],
          spec: { type: 'BatchNormalization', center: true, scale: true, epsilon: 1e-5, momentum: 0.9 },
        },
      },
      rewire(bn),
    ],
  };
  if (small.channels < (big.channels ?? Infinity)) return [projection];
  const zeroPad: Fix = {
    label: [`Subsample the shortcut and zero-pad it to ${countOf(small.channels, 'channel')} (option A, no weights)`],
    edits: [
      {
        kind: 'insert',
        index,
        layer: {
          name: pad,
          inputs: [shortcut],
          spec: { type: 'ZeroPadShortcut', filters: small.channels, strides: stride },
        },
      },
      rewire(pad),
    ],
  };
  return [projection, zeroPad];
}

/** A Reshape whose target is a reordering of its input's axes: the Permute it was meant to be. */
function permuteFix(analysis: Analysis, reshape: LayerResult): Fix[] {
  const from = reshape.inputShapes[0];
  const to = reshape.output;
  if (!from || !to || from.length !== to.length) return [];
  const used = new Set<number>();
  const dims: number[] = [];
  for (const size of to) {
    const axis = from.findIndex((d, i) => d === size && !used.has(i));
    if (axis < 0) return [];
    used.add(axis);
    dims.push(axis + 1);
  }
  return [
    {
      label: [`Replace Reshape with Permute(${dims.join(', ')})`],
      edits: changeKind(analysis.model, reshape.name, { type: 'Permute', dims }),
    },
  ];
}

/**
 * An image input whose channel count was typed where a spatial size goes (3, 64, 64 read as
 * height 3, width 64 and 64 channels in a channels-last model): a window soon outgrows the
 * 3-pixel axis. The fix moves the small axis to the channels; it is offered only when the
 * model then builds further (see `repairs`).
 */
function reorderedInputFix(layers: readonly ModelLayer[], format: DataFormat): Fix[] {
  const inputs = layers.filter((l) => l.spec?.type === 'Input');
  const input = inputs[0];
  if (inputs.length !== 1 || input?.spec?.type !== 'Input') return [];
  const shape = input.spec.shape;
  if (shape.length !== 3) return [];
  const channel = channelAxis(shape.length, format);
  const typedFirst = format === 'channels_last' ? 0 : shape.length - 1;
  const small = shape[typedFirst];
  const channels = shape[channel];
  if (small === null || small === undefined || small > 4 || channels === null || channels === undefined) return [];
  if (channels <= small) return [];
  const rest = shape.filter((_, i) => i !== typedFirst);
  const reordered: Dim[] = format === 'channels_last' ? [...rest, small] : [small, ...rest];
  return [
    {
      label: message`Make the input ${shapeSlot(reordered)}: ${small} looks like the channel count`,
      edits: [update(input, { shape: reordered })],
    },
  ];
}
