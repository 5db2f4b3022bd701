import type { Diagnostic } from '../model/diagnostic';
import { changeKind, uniqueName, type Edit } from '../model/edits';
import type { ModelLayer } from '../model/model';
import { splitChannels } from '../shape/shape';
import type { Analysis, LayerResult } from './result';

/** A one-click repair of a diagnostic: a label for the button and the edits it makes. */
export interface Fix {
  readonly label: string;
  readonly edits: readonly Edit[];
}

/** The fixes ConvScope can offer for a diagnostic (none when the repair is a design choice). */
export function fixesFor(analysis: Analysis, diagnostic: Diagnostic): Fix[] {
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
    case 'causal-not-1d':
      return 'padding' in layer.spec
        ? [{ label: "Use 'same' padding", edits: [update(layer, { padding: 'same' })] }]
        : [];
    case 'groups-indivisible':
      return [{ label: 'Use groups = 1', edits: [update(layer, { groups: 1 })] }];
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
      label: `Replace Flatten with ${type}`,
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
    label: `Project the shortcut: 1×1 convolution, stride ${stride}, ${small.channels} filters (option B)`,
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
    label: `Subsample the shortcut and zero-pad it to ${small.channels} channels (option A, no weights)`,
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
      label: `Replace Reshape with Permute(${dims.join(', ')})`,
      edits: changeKind(analysis.model, reshape.name, { type: 'Permute', dims }),
    },
  ];
}
