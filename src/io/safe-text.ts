/**
 * Characters that are never shown as themselves where a user string goes: C0 and C1 controls
 * and DEL (Cc: ESC starts terminal sequences, CR and newlines fake lines), format characters
 * (Cf: bidi overrides that reorder what is shown, zero-width characters), U+2028/U+2029 (Zl,
 * Zp: line breaks to some editors) and lone surrogates (Cs: not encodable as UTF-8).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * One character as the escape Python and C write it: `\n`, `\r`, `\t`, `\x1b`, `\u202e`,
 * `\U000e0001`. Python reads every one of them back inside a string literal.
 */
export function escapeChar(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.codePointAt(0) as number;
  if (code < 0x100) return `\\x${hex(code, 2)}`;
  if (code < 0x10000) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

/** `text` with every character that matches INVISIBLE replaced by `escape(c)`. */
export function replaceInvisible(text: string, escape: (c: string) => string = escapeChar): string {
  return text.replace(INVISIBLE, escape);
}

/**
 * A user string (a model or layer name, a message quoting one) as terminal text: control and
 * invisible characters are shown as escapes (`\x1b`, `\n`, `\u202e`), so a name can neither
 * send the terminal a command nor add a line or row. Backslashes stay as they are: names like
 * `C:\models` read normally, and `--json` gives the exact string where it matters.
 */
export function terminalText(text: string): string {
  return replaceInvisible(text);
}

/** Several lines of text for the terminal: each line escaped, the line breaks kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

const JSON_INVISIBLE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A value as JSON text (`JSON.stringify` with `indent`) that is also safe to print: the
 * characters `JSON.stringify` leaves raw inside strings (DEL, C1, format characters, U+2028,
 * U+2029) are written as `\u` escapes. The JSON means exactly the same.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_INVISIBLE, (c) =>
    c.length === 1 ? `\\u${hex(c.charCodeAt(0), 4)}` : `\\u${hex(c.charCodeAt(0), 4)}\\u${hex(c.charCodeAt(1), 4)}`,
  );
}
