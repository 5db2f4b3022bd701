import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine/analysis/result';
import { exportModel, type Target } from '../../src/io/export';
import { terminalText } from '../../src/io/safe-text';
import { analyse, benign, hostileCase, type HostileCase } from './hostile-models';
import { findPython, runPythonLines } from './python/find-python';

/*
 * Fuzz of the four code exporters with hostile model and layer names (10,000 models each):
 * exporting never throws, and every file is checked by Python's own parser (ast, json)
 * against the same model exported with plain names: the same syntax tree once string
 * constants are blanked and the model's identifiers renamed in order, the docstring carrying
 * the name only as text, Keras' `name=` carrying it exactly and, with PyTorch installed, no
 * layer stored under an attribute nn.Module has. Nothing is executed here;
 * export-hostile.test.ts runs a sample for real. Keras code is checked with ast only (there
 * is no Keras here); Keras JSON with Python's json.
 */

const python = findPython(['ast', 'json']);
/** With PyTorch, the PyTorch files are also checked for layers stored as an nn.Module attribute. */
const withTorch = python !== null && findPython(['torch']) === python;
const checker = fileURLToPath(new URL('./python/check_hostile.py', import.meta.url));

/** What a terminal must never receive raw from a file printed to it: every control or invisible character but the newline. */
const RAW_CONTROL = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const CASES = 10_000;
/** The longest a fuzz run may take: past it, something hangs (a run takes about a fifth of it on 2 busy cores). */
const HANG_MS = 300_000;

interface Exporter {
  readonly lang: 'python' | 'json';
  readonly templates: readonly number[];
  readonly seed: number;
  /** The start of the module docstring: the name as terminal text, never as code. */
  doc?(c: HostileCase): string;
  /** Strings that must appear exactly as a `name=` value (Keras layer names matter). */
  names?(c: HostileCase): string[];
}

const EXPORTERS: Record<Target, Exporter> = {
  pytorch: {
    lang: 'python',
    templates: [0, 1, 2, 3, 4],
    seed: 1401,
    doc: (c) => `${terminalText(c.modelName)}: a PyTorch model exported by ConvScope.`,
  },
  keras: {
    lang: 'python',
    templates: [0, 1, 2, 3, 4],
    seed: 1402,
    doc: (c) => `${terminalText(c.modelName)}: a Keras model exported by ConvScope.`,
    names: (c) => [c.modelName, ...c.layerNames],
  },
  'keras-json': { lang: 'json', templates: [0, 1, 2, 3, 4], seed: 1403, names: (c) => [c.modelName, ...c.layerNames] },
  'train-script': {
    lang: 'python',
    templates: [0, 1, 2, 3],
    seed: 1404,
    doc: (c) => `Train ${terminalText(c.modelName)} (exported by ConvScope) on CIFAR-10 or MNIST.`,
  },
};

function exported(analysis: Analysis, target: Target, label: string): string {
  const result = exportModel(analysis, target);
  if (!result.ok) throw new Error(`${label}: not exported: ${JSON.stringify(result.problems)}`);
  return result.value;
}

describe.skipIf(!python)(
  'fuzz: hostile names never become code (10,000 models per exporter, checked by Python)',
  () => {
    for (const [target, exporter] of Object.entries(EXPORTERS) as [Target, Exporter][]) {
      it(
        `${target}: every file parses and differs from the plain-named export only inside strings`,
        () => {
          const cases = fc.sample(hostileCase(exporter.templates), { numRuns: CASES, seed: exporter.seed });
          const lines: object[] = exporter.templates.map((t) => ({
            id: `benign-${t}`,
            lang: exporter.lang,
            ref: t,
            role: 'benign',
            code: exported(benign(t), target, `template ${t}`),
          }));
          cases.forEach((c, i) => {
            const code = exported(analyse(c.template, c.modelName, c.layerNames), target, JSON.stringify(c));
            expect(RAW_CONTROL.test(code), `${i}: a raw control character in ${JSON.stringify(c)}`).toBe(false);
            lines.push({
              id: i,
              lang: exporter.lang,
              ref: c.template,
              role: 'hostile',
              code,
              doc: exporter.doc?.(c) ?? null,
              names: exporter.names?.(c) ?? [],
            });
          });
          const report = runPythonLines<{
            checked: number;
            failed: number;
            failures: { id: number; why: string }[];
            torch: boolean;
          }>(python as string, checker, lines, HANG_MS);
          const shown = report.failures.map((f) => ({ ...f, case: cases[f.id] }));
          expect(shown).toEqual([]);
          expect(report.failed).toBe(0);
          expect(report.checked).toBe(CASES);
          if (target === 'pytorch') expect(report.torch).toBe(withTorch);
        },
        HANG_MS,
      );
    }
  },
);
