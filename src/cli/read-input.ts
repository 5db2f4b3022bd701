import { open, stat } from 'node:fs/promises';
import { HEAD_BYTES, MAX_ONNX_BYTES, modelSizeLimit, tooLargeText } from '../io/read-model';

/** The bytes of FILE ('-': standard input), or what went wrong, in words. */
export async function readInput(file: string, stdin?: () => Promise<string>): Promise<Uint8Array | { error: string }> {
  try {
    if (file === '-') return stdin ? new TextEncoder().encode(await stdin()) : await readStdin();
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a folder, not a model file.` };
    const handle = await open(file, 'r');
    try {
      const head = new Uint8Array(HEAD_BYTES);
      await handle.read(head, 0, HEAD_BYTES, 0);
      if (info.size > modelSizeLimit(head)) return { error: tooLargeText(file, info.size, head) };
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file}: no such file.` };
    if (code === 'EACCES') return { error: `${file}: permission denied.` };
    return { error: `${file}: cannot be read (${code ?? (e as Error).message}).` };
  }
}

/** Standard input, up to the largest size of its format (told by its first chunk), and one byte more. */
async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  let limit = MAX_ONNX_BYTES;
  for await (const chunk of process.stdin) {
    if (size === 0) limit = modelSizeLimit(chunk as Buffer);
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (size > limit) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}
