const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self torch nn F keras layers input'.split(
    ' ',
  ),
);

/** Python identifiers for layer names, unique and never a keyword: "conv1" → conv1, "block1/conv" → block1_conv. */
export function pythonNames(names: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const name of names) {
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(id)) id = `layer_${id}`;
    if (PYTHON_KEYWORDS.has(id)) id = `${id}_`;
    let unique = id;
    for (let n = 1; taken.has(unique); n++) unique = `${id}_${n}`;
    taken.add(unique);
    result.set(name, unique);
  }
  return result;
}

/** A value as a Python literal: null → None, lists → tuples (Keras takes tuples for sizes). */
export function pythonLiteral(value: unknown, lists: 'tuple' | 'list' = 'tuple'): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pythonLiteral(v, lists));
    if (lists === 'list') return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v, lists)}`,
  );
  return `{${entries.join(', ')}}`;
}
