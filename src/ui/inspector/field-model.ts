import { z } from 'zod';
import { findKind } from '../../engine/layers/registry';

/** How the form shows one field of a layer kind, read off the kind's schema. */
export interface FieldModel {
  readonly name: string;
  readonly control: 'text' | 'select' | 'checkbox' | 'json';
  readonly options: readonly string[];
  readonly description: string;
  readonly optional: boolean;
}

/** The editable fields of a layer type, in schema order (`type` excluded). */
export function fieldsOf(type: string): FieldModel[] {
  const kind = findKind(type);
  if (!kind || !(kind.schema instanceof z.ZodObject)) return [];
  return Object.entries(kind.schema.shape as Record<string, z.ZodType>)
    .filter(([name]) => name !== 'type')
    .map(([name, schema]) => fieldModel(name, schema));
}

function fieldModel(name: string, schema: z.ZodType): FieldModel {
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

/**
 * What the user typed, as a value: "" → undefined (the default), numbers, "3, 5" / "3×5" /
 * "3x5" → [3, 5] ("?" → null inside a list), JSON for nested values, else the word itself.
 */
export function parseFieldText(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t)) return Number(t);
  const parts = t.split(/\s*(?:,|×|x|X|\s)\s*/).filter((p) => p !== '');
  if (parts.length > 1 && parts.every((p) => /^(-?\d+|\?)$/.test(p)))
    return parts.map((p) => (p === '?' ? null : Number(p)));
  return t;
}

export type FieldCheck = { ok: true; spec: Record<string, unknown> } | { ok: false; error: string };

/**
 * Validates a layer spec with one field replaced by typed text: the new spec (defaults filled
 * in) or the message for that field.
 */
export function checkField(spec: Record<string, unknown>, field: string, text: string): FieldCheck {
  const kind = findKind(String(spec['type']));
  if (!kind) return { ok: false, error: 'Unknown layer type' };
  const value = parseFieldText(text);
  const candidate: Record<string, unknown> = { ...spec };
  if (value === undefined) delete candidate[field];
  else candidate[field] = value;
  const parsed = kind.schema.safeParse(candidate);
  if (parsed.success) return { ok: true, spec: parsed.data as Record<string, unknown> };
  const issue = parsed.error.issues.find((i) => i.path[0] === field) ?? parsed.error.issues[0];
  return { ok: false, error: issueText(issue) };
}

function issueText(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'Not a valid value';
  if (issue.code !== 'invalid_union') return issue.message;
  const firsts = issue.errors.map((e) => e[0]).filter((e): e is z.core.$ZodIssue => e !== undefined);
  const specific = firsts.find((e) => e.code !== 'invalid_type' && e.code !== 'invalid_value');
  if (specific) return specific.message;
  const words = firsts.flatMap((e) => (e.code === 'invalid_value' ? e.values.map((v) => `'${String(v)}'`) : []));
  const kinds = firsts.flatMap((e) =>
    e.code === 'invalid_type'
      ? [e.expected === 'array' || e.expected === 'tuple' ? 'one number per axis (3, 5)' : `a ${e.expected}`]
      : [],
  );
  return `Expected ${[...new Set([...words, ...kinds])].join(', or ')}`;
}
