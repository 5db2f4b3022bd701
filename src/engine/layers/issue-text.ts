import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** zod's own wording ("Invalid input: expected array, received string"), as opposed to ours. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized)/;

const EXAMPLES: Readonly<Record<string, string>> = {
  number: 'a number (for example 3)',
  int: 'a whole number (for example 3)',
  array: 'one value per axis (for example 3, 5)',
  tuple: 'one value per axis (for example 3, 5)',
  string: 'a string ("…")',
  boolean: 'true or false',
  object: 'an object ({ … })',
  null: 'None',
};

/** What a type asks for, with an example; `list` is the example of a list where one is wanted. */
function expected(type: string, list: string | undefined): string {
  if (list && (type === 'array' || type === 'tuple')) return `one value per axis (for example ${list})`;
  return EXAMPLES[type] ?? type;
}

const quote = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

/**
 * One validation problem as a sentence for people: what `what` (a field's name as the reader
 * knows it) must be, with an example (`list`: the example of a list, as the reader writes it:
 * "1, 28, 28" in a form, "[28, 28, 1]" in a file). The single place zod's issues become words: the editor's
 * fields and the project-file reader both use it. Messages the schemas already word for people
 * (`fields.ts`: "kernel size must be at least 1") are kept.
 */
export function issueSentence(issue: Issue, what: string, list?: string): string {
  if (issue.code === 'invalid_union') return unionSentence(issue.errors, what, list);
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `${what} must be ${expected(issue.expected, list)}`;
    case 'invalid_value':
      return `${what} must be ${orList(issue.values.map(quote))}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `${what} needs at least ${String(issue.minimum)} entries`
        : `${what} must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `${what} takes at most ${String(issue.maximum)} entries`
        : `${what} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${orList(issue.keys.map(quote))} for this layer type`;
    default:
      return `${what} is not a valid value`;
  }
}

/**
 * A value that fits none of a union's forms: the most specific problem of a form it nearly fits
 * ("kernel size must be at least 1"), else every form allowed ("'valid', 'same' or a number").
 */
function unionSentence(branches: readonly (readonly Issue[])[], what: string, list: string | undefined): string {
  const firsts = branches.map((b) => b[0]).filter((i): i is Issue => i !== undefined);
  const specific = firsts.find((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value');
  if (specific) return issueSentence(specific, what, list);
  const allowed = firsts.flatMap((i) =>
    i.code === 'invalid_value' ? i.values.map(quote) : i.code === 'invalid_type' ? [expected(i.expected, list)] : [],
  );
  return `${what} must be ${orList([...new Set(allowed)])}`;
}
