import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { analyzeModel } from '../engine/analysis/analyze';
import type { Analysis } from '../engine/analysis/result';
import { exportModel, type Target } from '../io/export';
import { readModelFile } from '../io/read-model-file';
import { jsonText, terminalLines, terminalText } from '../io/safe-text';
import { summaryJson } from '../io/summary/json';
import { summaryText } from '../io/summary/text';
import { USAGE, parseArgs, type Options } from './args';
import { readInput } from './read-input';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads standard input (for FILE = '-'). */
  stdin?: () => Promise<string | Uint8Array>;
}

/** Exit codes: 0 done, 1 a model with errors (or not expressible in the target), 2 unreadable input or bad usage. */
export const EXIT = { ok: 0, modelErrors: 1, unreadable: 2 } as const;

export async function runCli(args: readonly string[], io: Io): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    if (options) io.stderr(`convscope: ${terminalText(options)}\n\n`);
    io.stderr(USAGE);
    return options ? EXIT.unreadable : EXIT.ok;
  }
  const bytes = await readInput(options.file, io.stdin);
  if (!(bytes instanceof Uint8Array)) {
    io.stderr(`convscope: ${terminalText(bytes.error)}\n`);
    return EXIT.unreadable;
  }
  const source = options.file === '-' ? 'standard input' : terminalText(options.file);
  const read = await readModelFile(bytes, options.file === '-' ? '' : options.file);
  if (!read.ok) {
    io.stderr(`convscope: cannot read ${source}:\n${indent(terminalLines(read.error))}\n`);
    return EXIT.unreadable;
  }
  for (const note of read.notes ?? []) io.stderr(`convscope: ${source}: ${terminalText(note)}\n`);
  const analysis = analyzeModel(read.model);
  if (options.command === 'export') return runExport(analysis, options, io);
  io.stdout(options.json ? `${jsonText(summaryJson(analysis), 2)}\n` : summaryText(analysis, options.notation));
  return analysis.ok ? EXIT.ok : EXIT.modelErrors;
}

/** Writes every file or none: a model that cannot be expressed is reported, layer by layer. */
async function runExport(analysis: Analysis, options: Options, io: Io): Promise<number> {
  const out = options.out;
  const moduleName = out ? basename(out, extname(out)).replace(/\W/g, '_') || 'model' : 'model';
  const files: [string | undefined, ReturnType<typeof exportModel>][] = [];
  if (!options.trainScript || out) files.push([out, exportModel(analysis, options.to as Target)]);
  if (options.trainScript)
    files.push([out ? join(dirname(out), 'train.py') : undefined, exportModel(analysis, 'train-script', moduleName)]);
  const problems = files.flatMap(([, r]) => (r.ok ? [] : r.problems));
  if (problems.length) {
    io.stderr(`convscope: the model cannot be written as ${options.to}; nothing was written:\n`);
    for (const p of problems) io.stderr(`  ${terminalText(`${p.layer ?? 'model'}: ${p.message}`)}\n`);
    return EXIT.modelErrors;
  }
  for (const [path, result] of files) {
    if (!result.ok) continue;
    if (path) {
      await writeFile(path, result.value);
      io.stderr(`wrote ${terminalText(path)}\n`);
    } else io.stdout(result.value);
  }
  return EXIT.ok;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
