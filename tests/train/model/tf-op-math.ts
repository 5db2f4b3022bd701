import type { ElementwiseOp } from '../../../src/engine/layers/tf-op';

/**
 * What each element-wise TensorFlow op computes, written with JavaScript's Math (the reference
 * the training op and the PyTorch export are both checked against): `c` is the constant.
 */
export const MATH: Record<ElementwiseOp, (x: number, c: number) => number> = {
  AddV2: (x, c) => x + c,
  Add: (x, c) => x + c,
  Sub: (x, c) => x - c,
  Mul: (x, c) => x * c,
  RealDiv: (x, c) => x / c,
  Maximum: (x, c) => Math.max(x, c),
  Minimum: (x, c) => Math.min(x, c),
  Pow: (x, c) => x ** c,
  Square: (x) => x * x,
  Sqrt: (x) => Math.sqrt(x),
  Rsqrt: (x) => 1 / Math.sqrt(x),
  Neg: (x) => -x,
  Abs: (x) => Math.abs(x),
  Exp: (x) => Math.exp(x),
  Log: (x) => Math.log(x),
  Identity: (x) => x,
};
/** The ops that take a constant (on either side). */
export const BINARY = new Set<string>(['AddV2', 'Add', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'Pow']);
