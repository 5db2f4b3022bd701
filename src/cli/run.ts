import { readFile, stat } from 'node:fs/promises';
import { analyzeModel } from '../engine/analysis/analyze';
import type { Notation } from '../engine/notation';
import { MAX_MODEL_BYTES, readModelText } from '../io/read-model';
import { summaryJson } from '../io/summary/json';
import { summaryText } from '../io/summary/text';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads standard input (for FILE = '-'). */
  stdin?: () => Promise<string>;
}

/** Exit codes: 0 a valid model, 1 a model with errors, 2 unreadable input or bad usage. */
export const EXIT = { ok: 0, modelErrors: 1, unreadable: 2 } as const;

const USAGE = `Usage: npm run -s cli -- summary FILE [--json] [--notation pytorch|keras]

  FILE          a ConvScope model, Keras JSON (model.to_json()) or a TensorFlow.js
                model.json; '-' reads standard input
  --json        print the summary as one JSON object
  --notation    shapes as PyTorch (N×C×H×W, out×in×kH×kW; the default) or Keras
                (N×H×W×C, kH×kW×in×out) in the text table

Exit status: 0 valid model, 1 model with errors (diagnostics printed), 2 unreadable input.
`;

interface Options {
  file: string;
  json: boolean;
  notation: Notation;
}

function parseArgs(args: readonly string[]): Options | string {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') return '';
  if (command !== 'summary') return `Unknown command '${command}'.`;
  const options: Partial<Options> = { json: false, notation: 'pytorch' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--json') options.json = true;
    else if (arg === '--notation' || arg.startsWith('--notation=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : rest[++i];
      if (value !== 'pytorch' && value !== 'keras')
        return `--notation takes 'pytorch' or 'keras', not '${value ?? ''}'.`;
      options.notation = value;
    } else if (arg.startsWith('--')) return `Unknown option '${arg}'.`;
    else if (options.file === undefined) options.file = arg;
    else return `One FILE only (got '${options.file}' and '${arg}').`;
  }
  if (options.file === undefined) return 'summary needs a FILE (or - for standard input).';
  return options as Options;
}

export async function runCli(args: readonly string[], io: Io): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    if (options) io.stderr(`convscope: ${options}\n\n`);
    io.stderr(USAGE);
    return options ? EXIT.unreadable : EXIT.ok;
  }
  const text = await readInput(options.file, io);
  if (typeof text !== 'string') {
    io.stderr(`convscope: ${text.error}\n`);
    return EXIT.unreadable;
  }
  const read = readModelText(text);
  if (!read.ok) {
    io.stderr(`convscope: cannot read ${describe(options.file)}:\n${indent(read.error)}\n`);
    return EXIT.unreadable;
  }
  const analysis = analyzeModel(read.model);
  io.stdout(
    options.json ? `${JSON.stringify(summaryJson(analysis), null, 2)}\n` : summaryText(analysis, options.notation),
  );
  return analysis.ok ? EXIT.ok : EXIT.modelErrors;
}

async function readInput(file: string, io: Io): Promise<string | { error: string }> {
  try {
    if (file === '-') return io.stdin ? await io.stdin() : await readStdin();
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a folder, not a model file.` };
    if (info.size > MAX_MODEL_BYTES) {
      return {
        error: `${file} is ${(info.size / 1024 / 1024).toFixed(1)} MB; ConvScope reads model files up to ${MAX_MODEL_BYTES / 1024 / 1024} MB (a model's JSON is usually well under 1 MB). Is it a weights file?`,
      };
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file}: no such file.` };
    if (code === 'EACCES') return { error: `${file}: permission denied.` };
    return { error: `${file}: cannot be read (${code ?? (e as Error).message}).` };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_MODEL_BYTES + 1) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(file: string): string {
  return file === '-' ? 'standard input' : file;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
