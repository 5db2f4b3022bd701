import { readFile, stat } from 'node:fs/promises';
import { MAX_MODEL_BYTES } from '../io/read-model';

/** The text of FILE ('-': standard input), or what went wrong, in words. */
export async function readInput(file: string, stdin?: () => Promise<string>): Promise<string | { error: string }> {
  try {
    if (file === '-') return stdin ? await stdin() : await readStdin();
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
