import type { NamedShape, WeightTensor } from './model/weights';
import { formatShape } from './shape/format';
import type { DataFormat, Dim, Shape } from './shape/shape';

/**
 * How shapes are written. PyTorch: activations N×C×H×W, kernels out × in/groups × kH × kW.
 * Keras/TF: activations N×H×W×C, kernels kH × kW × in/groups × out.
 */
export type Notation = 'pytorch' | 'keras';

/** The notation a model's own layout corresponds to. */
export function notationOf(format: DataFormat): Notation {
  return format === 'channels_last' ? 'keras' : 'pytorch';
}

/**
 * One example's shape in a notation: a feature map's channel axis moves to the front
 * (PyTorch) or the back (Keras). Vectors are unchanged.
 */
export function shapeIn(shape: Shape, format: DataFormat, notation: Notation): Dim[] {
  if (shape.length < 2 || notationOf(format) === notation) return [...shape];
  return notation === 'pytorch'
    ? [shape[shape.length - 1] ?? null, ...shape.slice(0, -1)]
    : [...shape.slice(1), shape[0] ?? null];
}

/**
 * One example's shape written in a notation: "16×32×32" (PyTorch) or "32×32×16" (Keras), with
 * "?" for a size that may vary. The one way a shape is written in prose, tables and captions.
 */
export function writeShape(shape: Shape, format: DataFormat, notation: Notation): string {
  return formatShape(shapeIn(shape, format, notation));
}

/**
 * One filter of a convolution (a slice of its kernel: `depth` input channels by `kernel`) in a
 * notation: in × kH × kW (PyTorch's `weight[f]`) or kH × kW × in (Keras' `kernel[..., f]`).
 */
export function writeFilter(kernel: readonly number[], depth: number, notation: Notation): string {
  return formatShape(notation === 'pytorch' ? [depth, ...kernel] : [...kernel, depth]);
}

/** A weight tensor's name and shape in a notation: `weight` 64×32×5×5 or `kernel` 5×5×32×64. */
export function weightIn(weight: WeightTensor, notation: Notation): NamedShape {
  return notation === 'pytorch' ? weight.pytorch : weight.keras;
}
