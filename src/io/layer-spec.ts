import type { z } from 'zod';
import { findKind, layerTypes, type LayerSpec } from '../engine/layers/registry';
import { issueSentence } from '../engine/layers/issue-text';
import { closest } from './suggest';

export type SpecResult = { ok: true; spec: LayerSpec } | { ok: false; problems: string[] };

/** How deep wrappers may nest (TimeDistributed(TimeDistributed(…))); real models use one or two. */
export const MAX_NESTING = 8;

/** How deep layers nest in wrappers (`layer`) and nested models (`layers[].layer`), up to past the limit. */
function nestingDepth(raw: Record<string, unknown>, depth = 0): number {
  if (depth > MAX_NESTING) return depth;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const list = Array.isArray(raw['layers']) ? (raw['layers'] as unknown[]) : [];
  const inner = [raw['layer'], ...list.map((l) => (isObject(l) ? l['layer'] : undefined))].filter(isObject);
  let deepest = depth;
  for (const child of inner) deepest = Math.max(deepest, nestingDepth(child, depth + 1));
  return deepest;
}

/**
 * Validates one layer's fields (`type` and the kind's own fields, without `name` and `inputs`)
 * against its kind's schema, filling in defaults. Problems are located by field.
 */
export function validateLayerSpec(raw: Record<string, unknown>): SpecResult {
  const type = raw['type'];
  if (typeof type !== 'string')
    return { ok: false, problems: ['type: every layer needs a "type" (for example "Conv2D")'] };
  const kind = findKind(type);
  if (!kind) {
    const guess = closest(type, layerTypes);
    return {
      ok: false,
      problems: [
        `type: unknown layer type '${type}'.${guess ? ` Did you mean '${guess}'?` : ''} Known types: ${layerTypes.join(', ')}.`,
      ],
    };
  }
  if (nestingDepth(raw) > MAX_NESTING) {
    return { ok: false, problems: [`layer: wrappers and nested models are nested more than ${MAX_NESTING} deep`] };
  }
  const parsed = kind.schema.safeParse(raw);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return { ok: false, problems: formatIssues(parsed.error.issues, raw) };
}

type ZodIssue = z.core.$ZodIssue;

/** "kernelSize: kernel size must be at least 1 (got -3)" for each issue (see `issueSentence`). */
export function formatIssues(
  issues: readonly ZodIssue[],
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      return formatIssues(bestBranch(issue.errors), input, path);
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...path, key])}: unknown field '${key}' for this layer type`);
    }
    const value = valueAt(input, path);
    const got = value === undefined ? '' : ` (got ${preview(value)})`;
    const field = [...path].reverse().find((k): k is string => typeof k === 'string') ?? 'the value';
    const list = field === 'shape' || field === 'targetShape' ? '[28, 28, 1]' : '[3, 5]';
    const sentence =
      value === undefined && issue.code === 'invalid_type'
        ? `${field} is missing: this layer type needs it`
        : issueSentence(issue, field, list);
    return [`${formatPath(path) || 'value'}: ${sentence}${got}`];
  });
}

/** The union branch that got furthest: fewest type mismatches, then fewest issues. */
function bestBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] {
  const score = (b: readonly ZodIssue[]) => b.filter((i) => i.code === 'invalid_type').length * 100 + b.length;
  return [...branches].sort((a, b) => score(a) - score(b))[0] ?? [];
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
