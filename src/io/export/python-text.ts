import { escapeChar, replaceInvisible, terminalText } from '../safe-text';
import { GENERATED_NAMES, PYTHON_BUILTINS, PYTHON_KEYWORDS, TORCH_MODULE_ATTRIBUTES } from './python-reserved';

/*
 * The one place where a user string (a model or layer name, anything a model file brings)
 * becomes Python source. Every exporter writes names through these functions: as a string
 * literal (`pyString`), inside a docstring (`pyDocText`) or as an identifier (`pyIdentifier`,
 * `pythonNames`). Nothing else pastes a user string into code.
 */

/**
 * The inside of a double-quoted Python string literal: `\` and `"` escaped, and every control
 * or invisible character (NUL, newlines, CR, ESC, U+2028, bidi overrides, lone surrogates) as
 * its escape. No quote, backslash or line break is left raw, so the text can close no string
 * and start no new line of code, in a `"…"` or a `"""…"""` string alike; the file stays valid
 * UTF-8 without NUL bytes.
 */
function stringBody(text: string): string {
  return replaceInvisible(
    text.replace(/[\\"]/g, (c) => `\\${c}`),
    escapeChar,
  );
}

/** A string as a Python string literal: `conv1` → `"conv1"`, `C:\x` → `"C:\\x"`. Python reads back exactly `text`. */
export function pyString(text: string): string {
  return `"${stringBody(text)}"`;
}

/**
 * A string for the inside of a `"""…"""` docstring or a double-quoted literal that people
 * read (`--help` prints the training script's). Its value is the terminal form of the string:
 * control characters appear as visible escapes, so printing the docstring sends the terminal
 * nothing but text. Plain names read as they are.
 */
export function pyDocText(text: string): string {
  return stringBody(terminalText(text));
}

/** A number as Python: integers and decimals as JavaScript writes them, infinities and NaN as floats. */
export function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
  return String(value);
}

/** A value as a Python literal: null → None, lists → tuples (Keras takes tuples for sizes). */
export function pythonLiteral(value: unknown, lists: 'tuple' | 'list' = 'tuple'): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pythonLiteral(v, lists));
    if (lists === 'list') return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${pyString(k)}: ${pythonLiteral(v, lists)}`,
  );
  return `{${entries.join(', ')}}`;
}

const RESERVED: ReadonlySet<string> = new Set([
  ...PYTHON_KEYWORDS,
  ...PYTHON_BUILTINS,
  ...TORCH_MODULE_ATTRIBUTES,
  ...GENERATED_NAMES,
]);

/** True for the names `pyIdentifier` never returns (keywords, builtins, `nn.Module` attributes, the code's own names). */
export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * A Python identifier for a layer name, used as both `self.<id>` and a local variable:
 * ASCII letters, digits and `_`, starting with a letter (`_x` and `1x` get a `layer_` prefix,
 * so no name reaches a private or dunder attribute such as `_modules` or `__class__`), and a
 * trailing `_` on a reserved name (`forward` → `forward_`, `input` → `input_`, `class` →
 * `class_`). Plain names stay as they are: `conv1` → `conv1`, `block1/conv` → `block1_conv`.
 */
export function pyIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(id)) id = `layer_${id}`;
  while (RESERVED.has(id)) id = `${id}_`;
  return id;
}

/** Identifiers for layer names (`pyIdentifier`), unique: the second `a b` after `a_b` is `a_b_1`. */
export function pythonNames(names: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const name of names) {
    const id = pyIdentifier(name);
    let unique = id;
    for (let n = 1; taken.has(unique) || RESERVED.has(unique); n++) unique = `${id}_${n}`;
    taken.add(unique);
    result.set(name, unique);
  }
  return result;
}
