import { z } from 'zod';
import { fieldDoc, fieldLabel } from '../../engine/layers/field-names';
import { paddingNote, shownValue, storedValue, type FieldContext } from '../../engine/layers/field-values';
import { issueSentence } from '../../engine/layers/issue-text';
import { findKind } from '../../engine/layers/registry';
import type { Notation } from '../../engine/notation';

/** How the form shows one field of a layer kind, read off the kind's schema. */
export interface FieldModel {
  /** The spec's key (`kernelSize`). */
  readonly name: string;
  /** The name in the notation's framework (`kernel_size`; PyTorch `out_channels` for `filters`). */
  readonly label: string;
  readonly control: 'text' | 'select' | 'checkbox' | 'json';
  readonly options: readonly string[];
  readonly description: string;
  readonly optional: boolean;
}

/** The editable fields of a layer type, in schema order (`type` excluded), named in `notation`. */
export function fieldsOf(type: string, notation: Notation): FieldModel[] {
  const kind = findKind(type);
  if (!kind || !(kind.schema instanceof z.ZodObject)) return [];
  return Object.entries(kind.schema.shape as Record<string, z.ZodType>)
    .filter(([name]) => name !== 'type')
    .map(([name, schema]) => {
      const model = fieldModel(name, schema);
      return {
        ...model,
        label: fieldLabel(type, name, notation),
        description: fieldDoc(type, name, notation, model.description),
      };
    });
}

function fieldModel(name: string, schema: z.ZodType): Omit<FieldModel, 'label'> {
  const description = schema.description ?? '';
  let inner: z.ZodType = schema;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else break;
  }
  const doc = description || inner.description || '';
  if (inner instanceof z.ZodBoolean) return { name, control: 'checkbox', options: [], description: doc, optional };
  if (inner instanceof z.ZodEnum)
    return { name, control: 'select', options: inner.options.map(String), description: doc, optional };
  if (inner instanceof z.ZodLazy) return { name, control: 'json', options: [], description: doc, optional };
  const words =
    inner instanceof z.ZodUnion
      ? inner.options.flatMap((o) => (o instanceof z.ZodEnum ? o.options.map(String) : []))
      : [];
  return { name, control: 'text', options: words, description: doc, optional };
}

/** A field's value as the form shows it: 3 → "3", [3, 5] → "3, 5", [[0, 1], [0, 1]] → JSON. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || v === null))
    return value.map((v) => (v === null ? '?' : v)).join(', ');
  return JSON.stringify(value);
}

/** Words for "this size may vary": Python's None, JSON's null, and ?. */
const VARIES = /^(\?|none|null)$/i;
const NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?$/i;

/** One entry of a typed list: a number, null for a size that may vary (empty too), else undefined. */
function entry(part: string): number | null | undefined {
  if (part === '' || VARIES.test(part)) return null;
  return NUMBER.test(part) ? Number(part) : undefined;
}

/**
 * What the user typed, as a value: "" → undefined (the default), numbers, "3, 5" / "3×5" /
 * "3x5" / "(3, 5)" → [3, 5]; in a list None, null, ? or an empty entry (", 28, 28") is null, a
 * size that may vary (one trailing comma is Python's tuple comma, not an entry); JSON for nested
 * values, else the word itself.
 */
export function parseFieldText(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (VARIES.test(t)) return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      // Python's [None, 28, 28] is not JSON: read it as a list below.
    }
  }
  if (NUMBER.test(t)) return Number(t);
  const bare = t.replace(/^[([]\s*(.*?)\s*[)\]]$/s, '$1');
  const parts = bare.includes(',')
    ? bare.split(',').map((p) => p.trim())
    : bare.split(/\s*(?:×|x|X|\s)\s*/).filter((p) => p !== '');
  if (bare.includes(',') && parts.at(-1) === '' && parts.length > 1) parts.pop();
  const values = parts.map(entry);
  if ((parts.length > 1 || bare !== t) && values.every((v) => v !== undefined)) return values;
  return t;
}

/** A field's stored value as the form shows it in the context's notation. */
export function shownText(type: string, field: string, value: unknown, ctx: FieldContext): string {
  return fieldText(shownValue(type, field, value, ctx));
}

/** What typed text would show once stored: equal to `shownText` when it means the stored value. */
export function typedAsShown(type: string, field: string, text: string, ctx: FieldContext): string {
  return shownText(type, field, storedValue(type, field, parseFieldText(text), ctx), ctx);
}

/** A note under the field on how the other framework writes its value, or null. */
export function fieldNote(type: string, field: string, value: unknown, ctx: FieldContext): string | null {
  return field === 'padding' ? paddingNote(type, value, ctx) : null;
}

export type FieldCheck = { ok: true; spec: Record<string, unknown> } | { ok: false; error: string };

/**
 * Validates a layer spec with one field replaced by typed text, read in the context's notation
 * (an Input's shape typed C, H, W under PyTorch is stored in the model's own order): the new
 * spec (defaults filled in) or a sentence for that field. A single size where a list is wanted
 * ("784" for a shape) is a list of one.
 */
export function checkField(spec: Record<string, unknown>, field: string, text: string, ctx: FieldContext): FieldCheck {
  const type = String(spec['type']);
  const kind = findKind(type);
  if (!kind) return { ok: false, error: `Unknown layer type '${type}'` };
  const value = storedValue(type, field, parseFieldText(text), ctx);
  const attempt = (v: unknown) => {
    const candidate: Record<string, unknown> = { ...spec };
    if (v === undefined) delete candidate[field];
    else candidate[field] = v;
    return kind.schema.safeParse(candidate);
  };
  let parsed = attempt(value);
  if (!parsed.success && (typeof value === 'number' || value === null)) {
    const listed = attempt([value]);
    if (listed.success) parsed = listed;
  }
  if (parsed.success) return { ok: true, spec: parsed.data as Record<string, unknown> };
  const issue = parsed.error.issues.find((i) => i.path[0] === field) ?? parsed.error.issues[0];
  const label = fieldLabel(type, field, ctx.notation);
  const list = type === 'Input' ? (ctx.notation === 'pytorch' ? '1, 28, 28' : '28, 28, 1') : undefined;
  if (!issue) return { ok: false, error: `${label} is not a valid value` };
  if (value === undefined && issue.code === 'invalid_type')
    return { ok: false, error: `${label} is needed: this layer has no default for it` };
  return { ok: false, error: issueSentence(issue, label, list) };
}
