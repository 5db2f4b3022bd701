import { weightIn, writeShape, type Notation } from '../engine/notation';
import { formatShape } from '../engine/shape/format';
import type { DataFormat, Shape } from '../engine/shape/shape';
import type { WeightTensor } from '../engine/model/weights';
import { layoutSlot, writeMessage } from '../engine/text/message';

/** One example's shape in the chosen notation: "16×32×32" (PyTorch) or "32×32×16" (Keras); "—" when not built. */
export function shapeText(shape: Shape | null, format: DataFormat, notation: Notation): string {
  return shape ? writeShape(shape, format, notation) : '—';
}

/** A layer's input shapes joined with "+"; a merge of many shows its first two and how many. */
export function inputsText(shapes: readonly (Shape | null)[], format: DataFormat, notation: Notation): string {
  const text = (s: Shape | null) => shapeText(s, format, notation);
  if (shapes.length <= 4) return shapes.map(text).join(' + ');
  return `${shapes.slice(0, 2).map(text).join(' + ')} + … (${shapes.length.toLocaleString('en-US')} inputs)`;
}

/** The axes of an image's feature map in words, in the notation's order: "Channels × height × width". */
export function axesText(notation: Notation): string {
  const text = writeMessage([layoutSlot(2)], 'channels_last', notation);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the axes of a feature map are called in a notation, for column headers. */
export function layoutLabel(notation: Notation): string {
  return notation === 'pytorch' ? 'C×H×W' : 'H×W×C';
}

export function weightLines(weights: readonly WeightTensor[], notation: Notation): { name: string; shape: string }[] {
  return weights.map((w) => {
    const { name, shape } = weightIn(w, notation);
    return { name, shape: formatShape(shape) };
  });
}
