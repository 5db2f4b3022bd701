import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { layerTypes } from '../../src/engine/layers/registry';
import { toProjectFile } from '../../src/io/project/format';
import { readModelData, readModelText } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';
import { summaryText } from '../../src/io/summary/text';
import { presetModel } from '../../src/presets';

/**
 * Fuzzing the readers and the engine: generated model files, mutated real ones and garbled
 * text. Nothing may throw; every input is either a readable model (analysed and summarised
 * without error) or a message.
 */
function survives(input: string | unknown) {
  const read = typeof input === 'string' ? readModelText(input) : readModelData(input);
  if (!read.ok) {
    expect(typeof read.error).toBe('string');
    expect(read.error.length).toBeGreaterThan(0);
    return;
  }
  const analysis = analyzeModel(read.model);
  summaryText(analysis);
  summaryText(analysis, 'keras');
  JSON.stringify(summaryJson(analysis));
  expect(analysis.ok).toBe(analysis.diagnostics.every((d) => d.severity !== 'error'));
}

const junk = fc.oneof(
  fc.integer({ min: -5, max: 40 }),
  fc.constantFrom(0, -1, 1e9, 1e300, -0, 0.5, 2 ** 31, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(
    'valid',
    'same',
    'causal',
    'full',
    '',
    'relu',
    'channels_first',
    'A',
    'B',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 9 }), fc.constant(null), fc.constant(-1)), { maxLength: 5 }),
  fc.constant([
    [1, 2],
    [3, 4],
  ]),
  fc.constant({}),
);

const fieldNames = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dilationRate',
  'groups',
  'units',
  'poolSize',
  'rate',
  'targetShape',
  'dims',
  'axis',
  'size',
  'cropping',
  'activation',
  'shape',
  'depthMultiplier',
  'shortcut',
  'expansion',
  'keepdims',
  'outputPadding',
  'ceilMode',
  'useBias',
  'layer',
];

const layerArb = fc
  .record(
    {
      name: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'input'), fc.string({ maxLength: 4 })),
      type: fc.oneof(fc.constantFrom(...layerTypes), fc.string({ maxLength: 6 })),
      inputs: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'input', 'zz'), { maxLength: 3 }),
    },
    { requiredKeys: ['type'] },
  )
  .chain((base) =>
    fc.dictionary(fc.constantFrom(...fieldNames), junk, { maxKeys: 5 }).map((fields) => ({ ...fields, ...base })),
  );

const projectArb = fc.record({
  format: fc.constantFrom('convscope.model', undefined),
  dataFormat: fc.constantFrom('channels_last', 'channels_first', undefined),
  layers: fc.array(layerArb, { minLength: 1, maxLength: 12 }),
});

/** Seeds for mutation: presets and Keras files as plain JSON. */
const seeds: unknown[] = [
  toProjectFile(presetModel('resnet20-a')),
  toProjectFile(presetModel('resnet20-b')),
  ...[
    'keras2-sequential',
    'keras2-functional-residual',
    'keras3-functional-tcn',
    'keras3-sequential-unsupported',
    'tfjs-converter-model',
  ].map((n) => JSON.parse(readFileSync(new URL(`../fixtures/keras/${n}.json`, import.meta.url), 'utf8'))),
];

/** Replaces one value somewhere in the tree (chosen by `path`) with `value`, or deletes it. */
function mutate(tree: unknown, path: readonly number[], value: unknown, remove: boolean): unknown {
  if (tree === null || typeof tree !== 'object' || path.length === 0) return remove ? undefined : value;
  const entries = Array.isArray(tree) ? tree.map((v, i) => [i, v] as const) : Object.entries(tree);
  if (entries.length === 0) return value;
  const [head, ...rest] = path;
  const index = (head ?? 0) % entries.length;
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(tree) ? [...tree] : { ...tree };
  const key = entries[index]![0];
  const next = rest.length === 0 && remove ? undefined : mutate(entries[index]![1], rest, value, remove);
  if (next === undefined) {
    if (Array.isArray(copy)) copy.splice(key as number, 1);
    else delete (copy as Record<string, unknown>)[key as string];
  } else (copy as Record<string | number, unknown>)[key] = next;
  return copy;
}

describe('fuzz: no input makes the readers or the engine throw', () => {
  it('4,000 generated project files', () => {
    fc.assert(
      fc.property(projectArb, (file) => survives(file)),
      { numRuns: 4000, seed: 1 },
    );
  });

  it('4,000 mutations of real models (presets, Keras 2/3 and tfjs files)', () => {
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      edits: fc.array(
        fc.record({ path: fc.array(fc.nat(40), { minLength: 1, maxLength: 7 }), value: junk, remove: fc.boolean() }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        const mutated = edits.reduce((tree, e) => mutate(tree, e.path, e.value, e.remove), seeds[seed]);
        survives(mutated);
      }),
      { numRuns: 4000, seed: 2 },
    );
  });

  it('2,000 garbled texts: truncated, spliced and random', () => {
    const texts = seeds.map((s) => JSON.stringify(s));
    const garbled = fc.oneof(
      fc.tuple(fc.nat(texts.length - 1), fc.nat()).map(([i, at]) => texts[i]!.slice(0, at % texts[i]!.length)),
      fc.tuple(fc.nat(texts.length - 1), fc.nat(), fc.string({ maxLength: 10 })).map(([i, at, s]) => {
        const t = texts[i]!;
        const p = at % t.length;
        return t.slice(0, p) + s + t.slice(p + 1);
      }),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        '[[[[[[[[[[',
        '{"layers": {}}',
        'null',
        '"text"',
        '1e999',
        '{"class_name": "Functional", "config": {"layers": [null, 1, "x"]}}',
      ),
    );
    fc.assert(
      fc.property(garbled, (text) => survives(text)),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('pathological inputs: deep nesting, huge layer counts, a 50 MB file', () => {
    survives('['.repeat(100_000) + ']'.repeat(100_000));
    let nested: Record<string, unknown> = { type: 'Dense', units: 2 };
    for (let i = 0; i < 2000; i++) nested = { type: 'TimeDistributed', layer: nested };
    survives({ layers: [{ type: 'Input', shape: [4, 4] }, nested] });
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000));
    survives({
      layers: [
        { type: 'Input', shape: deep },
        { type: 'Conv2D', filters: deep, kernelSize: 3 },
      ],
    });
    let kerasNested: Record<string, unknown> = { class_name: 'Dense', config: { units: 2 } };
    for (let i = 0; i < 2000; i++) kerasNested = { class_name: 'TimeDistributed', config: { layer: kerasNested } };
    survives({
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 3, 4] } }, kerasNested] },
    });
    survives({ layers: Array.from({ length: 10_001 }, () => ({ type: 'Dense', units: 1 })) });
    const chain = Array.from({ length: 5000 }, (_, i) => ({
      name: `l${i}`,
      type: 'Dense',
      units: 2,
      inputs: [`l${(i + 1) % 5000}`],
    }));
    survives({ layers: [{ name: 'in', type: 'Input', shape: [2] }, ...chain] });
    const big = readModelText(' '.repeat(50 * 1024 * 1024));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error).toContain('50.0 MB');
  });
});
