import { notationOf, shapeIn, type Notation } from '../notation';
import type { SidePadding } from '../shape/conv-arithmetic';
import { axisNames } from '../shape/format';
import type { DataFormat } from '../shape/shape';
import { WINDOWED } from './field-names';
import type { AxisGeometry } from './kind';

/** What a field's value depends on besides itself. */
export interface FieldContext {
  readonly notation: Notation;
  /** The model's own layout, in which specs are stored. */
  readonly format: DataFormat;
  /** The layer's windows as analysed (padding amounts), when it could be built. */
  readonly geometry?: readonly AxisGeometry[] | undefined;
}

/** The layout a notation writes shapes in. */
export function formatOf(notation: Notation): DataFormat {
  return notation === 'pytorch' ? 'channels_first' : 'channels_last';
}

/** Fields that hold one example's shape, written in the notation's axis order. */
function isShapeField(type: string, field: string): boolean {
  return (type === 'Input' && field === 'shape') || (type === 'Lambda' && field === 'outputShape');
}

/** 1 − m without the float noise (1 − 0.99 is 0.010000000000000009). */
function oneMinus(m: number): number {
  return Math.round((1 - m) * 1e9) / 1e9;
}

/**
 * A stored field value as `notation` writes it: an Input's shape in that notation's axis order
 * (PyTorch C, H, W; Keras H, W, C), batch norm's momentum as PyTorch defines it (1 − Keras'),
 * a window's 'valid' or 'same' padding as PyTorch's number where one number says the same.
 */
export function shownValue(type: string, field: string, value: unknown, ctx: FieldContext): unknown {
  if (isShapeField(type, field) && Array.isArray(value))
    return shapeIn(value as (number | null)[], ctx.format, ctx.notation);
  if (ctx.notation !== 'pytorch') return value;
  if (type === 'BatchNormalization' && field === 'momentum' && typeof value === 'number') return oneMinus(value);
  if (WINDOWED.includes(type) && field === 'padding') return torchPadding(value, ctx.geometry) ?? value;
  return value;
}

/**
 * A value typed in `notation`, as the model stores it: the inverse of `shownValue`, so that a
 * value shown and typed back is stored unchanged whichever notation it was typed in.
 */
export function storedValue(type: string, field: string, value: unknown, ctx: FieldContext): unknown {
  if (isShapeField(type, field) && Array.isArray(value))
    return shapeIn(value as (number | null)[], formatOf(ctx.notation), notationOf(ctx.format));
  if (ctx.notation === 'pytorch' && type === 'BatchNormalization' && field === 'momentum' && typeof value === 'number')
    return oneMinus(value);
  return value;
}

/**
 * PyTorch's `padding=` for a window's padding: 'valid' is 0; 'same' at stride 1 with the same
 * amount before and after every axis is that amount (one number, or one per axis). Otherwise
 * `undefined`: TensorFlow's 'same' at stride > 1 pads by the input size and often unevenly,
 * and 'causal' pads one side, which no single PyTorch number can say (see `paddingNote`).
 */
export function torchPadding(value: unknown, geometry: readonly AxisGeometry[] | undefined): unknown {
  if (value === 'valid') return 0;
  if (value !== 'same' || !geometry || geometry.length === 0) return undefined;
  if (!geometry.every((g) => g.stride === 1 && g.padding !== null && g.padding[0] === g.padding[1])) return undefined;
  const amounts = geometry.map((g) => (g.padding as SidePadding)[0]);
  return amounts.every((a) => a === amounts[0]) ? amounts[0] : amounts;
}

/**
 * How the other framework would write a padding that this notation cannot say in one word or
 * number, or `null`: 'same' at stride > 1 and 'causal' in PyTorch (explicit per-side amounts with
 * `F.pad`), explicit numbers in Keras (a ZeroPadding layer before).
 */
export function paddingNote(type: string, value: unknown, ctx: FieldContext): string | null {
  if (!WINDOWED.includes(type)) return null;
  if (ctx.notation === 'keras') {
    if (typeof value === 'string' || type.includes('Pooling')) return null;
    const rank = ctx.geometry?.length ?? 2;
    return `Keras takes only 'valid', 'same' or 'causal': explicit padding is a ZeroPadding${rank}D before this layer, then padding='valid'.`;
  }
  if (torchPadding(value, ctx.geometry) !== undefined || typeof value !== 'string') return null;
  const geometry = ctx.geometry ?? [];
  const pads = geometry.map((g) => g.padding);
  const fill = type.startsWith('MaxPooling') ? ", value=float('-inf')" : '';
  const known = pads.length > 0 && pads.every((p): p is SidePadding => p !== null);
  const fPad = known ? `F.pad(x, (${[...pads].reverse().flat().join(', ')})${fill}) then padding=0` : '';
  if (value === 'causal') {
    return known
      ? `PyTorch has no 'causal': it pads only the start, so write ${fPad}.`
      : "PyTorch has no 'causal': pad only the start by (kernel_size − 1) × dilation with F.pad, then padding=0.";
  }
  if (!known)
    return "TensorFlow's 'same' pads by the input size, which is not fixed here: PyTorch needs F.pad at run time.";
  const names = axisNames(geometry.length);
  const sides = pads.map((p, i) => `${names[i] ?? `axis ${i + 1}`} ${p[0]} before, ${p[1]} after`).join('; ');
  if (geometry.every((g) => g.stride === 1))
    return `PyTorch: padding='same' (stride 1 only) pads the same as here: ${sides}.`;
  if (pads.every((p) => p[0] === p[1]))
    return `Here padding=${pads.map((p) => p[0]).join(', ')} on each side matches, but only for this input size: TensorFlow's 'same' at stride > 1 follows the input size (${sides}).`;
  return `No single PyTorch padding says this: TensorFlow's 'same' at stride > 1 pads ${sides} for this input. In PyTorch: ${fPad}.`;
}
