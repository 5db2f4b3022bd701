import type { LayerResult } from '../../../engine/analysis/result';
import { notationOf, shapeIn, type Notation } from '../../../engine/notation';
import type { DataFormat, Shape } from '../../../engine/shape/shape';
import { planComparison, type Comparison } from '../../../viz/reshape-permute';
import { axisNamesOf } from './tiles';

/** The tensor the picture moves, and how. */
export interface Subject {
  readonly layer: string;
  /** The selected Reshape or Permute layer's input, else the selected layer's output. */
  readonly role: 'input' | 'output';
  readonly plan: Comparison;
  /** The layout the tensors are drawn and named in. */
  readonly channelsLast: boolean;
  readonly names: readonly string[];
  /** Why the drawing's axis order differs from the chosen notation, if it does. */
  readonly note: string | null;
  /** The axis to colour by at first, where one reads best; else the picture picks. */
  readonly colourAxis?: number;
}

/** Nothing to draw: why, and layers that have something. */
export interface NoSubject {
  readonly message: string;
  readonly layers: readonly string[];
}

function known(shape: Shape | null | undefined): shape is readonly number[] {
  return !!shape && shape.every((d) => d !== null);
}

const isShapeLayer = (l: LayerResult) => l.spec?.type === 'Reshape' || l.spec?.type === 'Permute';

/** Layers the picture can show: Reshape and Permute layers first, then any with a 2-axis output. */
export function drawableLayers(layers: readonly LayerResult[]): string[] {
  const shapers = layers.filter((l) => isShapeLayer(l) && known(l.inputShapes[0]) && known(l.output));
  const others = layers.filter((l) => !isShapeLayer(l) && known(l.output) && l.output.length >= 2);
  return [...shapers, ...others].map((l) => l.name);
}

/**
 * What to draw for the selected layer. A Reshape is compared with the Permute that gives its
 * shape and a Permute with a Reshape to its shape, both on the layer's input and in the model's
 * own layout (the one they act on). Any other layer's output, in the chosen notation, is compared
 * under a swap of its last two axes, or where those are equal, a move of its channel axis.
 */
export function subjectOf(
  layer: LayerResult | undefined,
  all: readonly LayerResult[],
  format: DataFormat,
  notation: Notation,
): Subject | NoSubject {
  const layers = drawableLayers(all);
  if (!layer) return { message: 'Select a layer to see its tensor moved by a Reshape and by a Permute:', layers };
  const spec = layer.spec;
  if (spec?.type === 'Reshape' || spec?.type === 'Permute') {
    const input = layer.inputShapes[0];
    if (!known(input) || !known(layer.output)) {
      return { message: `${layer.name}'s sizes are not all known, so its elements cannot be drawn.`, layers };
    }
    const change =
      spec.type === 'Reshape'
        ? ({ kind: 'reshape', to: layer.output } as const)
        : ({ kind: 'permute', perm: spec.dims.map((d) => d - 1) } as const);
    const plan = planComparison(input, change);
    if (!plan) return { message: `${layer.name} cannot be applied to its input ${input.join('×')}.`, layers };
    const channelsLast = format === 'channels_last';
    const names = inputAxisNames(input, layer.output, spec.type === 'Reshape', channelsLast);
    const note =
      notationOf(format) !== notation && input.length > 1
        ? `${spec.type} acts on the model's own ${channelsLast ? 'channels-last' : 'channels-first'} layout, so its ` +
          `input is drawn as ${names.join(' × ')} (${input.join('×')}), not in ${notation === 'pytorch' ? 'PyTorch' : 'Keras'} order.`
        : null;
    return { layer: layer.name, role: 'input', plan, channelsLast, names, note };
  }
  if (!known(layer.output)) {
    return { message: `${layer.name}'s output sizes are not all known, so its elements cannot be drawn.`, layers };
  }
  if (layer.output.length < 2) {
    return {
      message: `${layer.name}'s output has a single axis, so there is nothing to swap. Pick a layer whose output has two or more axes:`,
      layers,
    };
  }
  const shape = shapeIn(layer.output, format, notation) as number[];
  const channelsLast = notation === 'keras';
  const names = axisNamesOf(shape.length, channelsLast);
  const rank = shape.length;
  // A Reshape to the swapped shape of a square map changes nothing: show the other classic,
  // channels first ↔ channels last (a C×H×W image reshaped for imshow).
  const square = rank >= 3 && shape[rank - 1] === shape[rank - 2];
  const axes = [...shape.keys()];
  const perm = channelsLast ? [rank - 1, ...axes.slice(0, -1)] : [...axes.slice(1), 0];
  const plan = planComparison(shape, square ? { kind: 'permute', perm } : { kind: 'swap' });
  if (!plan) return { message: `${layer.name}'s output cannot be drawn.`, layers };
  const note = square
    ? `Its last two axes have the same size, so a Reshape that swaps them would change nothing: ` +
      `the picture moves the channel axis to the ${channelsLast ? 'front' : 'back'} instead.`
    : null;
  const subject = { layer: layer.name, role: 'output', plan, channelsLast, names, note } as const;
  return square ? { ...subject, colourAxis: channelsLast ? rank - 1 : 0 } : subject;
}

/**
 * The axes of a Reshape's or Permute's input. A Reshape of a 2-D input to its sizes swapped
 * (3×48 → 48×3) is meant as a transpose: the input is the output's axes the other way round
 * (3 channels × 48 steps, not 3 steps of 48 channels), so it is named from the output's names.
 */
function inputAxisNames(input: readonly number[], output: readonly number[], reshape: boolean, channelsLast: boolean) {
  const names = axisNamesOf(input.length, channelsLast);
  const swapped =
    reshape && input.length === 2 && input[0] !== input[1] && input[0] === output[1] && input[1] === output[0];
  return swapped ? [...names].reverse() : names;
}
