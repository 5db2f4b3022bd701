import { writeShape, type Notation } from '../notation';
import { axisNames } from '../shape/format';
import type { DataFormat, Shape } from '../shape/shape';

/**
 * A value inside a sentence whose writing depends on the notation: the engine records what it
 * means, and `writeMessage` writes it as the reader chose, so an analysis (recomputed per edit
 * and memoised) never depends on the notation.
 */
export type Slot =
  /** One example's shape, in the model's own layout: "32×26×26" (PyTorch) or "26×26×32" (Keras). */
  | { readonly kind: 'shape'; readonly shape: Shape }
  /** The axes of a feature map with `rank` spatial axes: "channels × height × width" or "height × width × channels". */
  | { readonly kind: 'layout'; readonly rank: number };

/** A piece of a sentence: text as it is, or a slot. */
export type Part = string | Slot;

/** A sentence with notation slots, written out by `writeMessage`. */
export type Message = readonly Part[];

/** A shape slot: `shape` is in the model's own layout. */
export function shapeSlot(shape: Shape): Slot {
  return { kind: 'shape', shape };
}

/** A layout slot: the axes of a feature map with `rank` spatial axes, channels where the notation puts them. */
export function layoutSlot(rank: number): Slot {
  return { kind: 'layout', rank };
}

/**
 * Builds a message from a template: `` message`'${a}' gives ${shapeSlot(s)}.` `` Numbers are
 * written as they are, strings as text, slots as slots and nested messages inline.
 */
export function message(
  strings: TemplateStringsArray,
  ...values: readonly (string | number | Slot | Message)[]
): Message {
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text) parts.push(text);
    if (i >= values.length) return;
    const value = values[i] as string | number | Slot | Message;
    if (typeof value === 'number') parts.push(String(value));
    else if (typeof value === 'string' || !Array.isArray(value)) parts.push(value as Part);
    else parts.push(...(value as Message));
  });
  return parts;
}

/** A message's text, with every slot written in `notation` (`format` is the model's own layout). */
export function writeMessage(text: Message | string, format: DataFormat, notation: Notation): string {
  if (typeof text === 'string') return text;
  return text.map((part) => (typeof part === 'string' ? part : writeSlot(part, format, notation))).join('');
}

function writeSlot(slot: Slot, format: DataFormat, notation: Notation): string {
  switch (slot.kind) {
    case 'shape':
      return writeShape(slot.shape, format, notation);
    case 'layout': {
      const axes = [...axisNames(slot.rank)];
      return (notation === 'pytorch' ? ['channels', ...axes] : [...axes, 'channels']).join(' × ');
    }
    default:
      return unreachable(slot);
  }
}

function unreachable(slot: never): never {
  throw new Error(`unknown message slot ${JSON.stringify(slot)}`);
}
