import { shapeIn, weightIn, type Notation } from '../engine/notation';
import { formatShape } from '../engine/shape/format';
import type { DataFormat, Shape } from '../engine/shape/shape';
import type { WeightTensor } from '../engine/model/weights';

/** One example's shape in the chosen notation: "16×32×32" (PyTorch) or "32×32×16" (Keras). */
export function shapeText(shape: Shape | null, format: DataFormat, notation: Notation): string {
  return shape ? formatShape(shapeIn(shape, format, notation)) : '—';
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
