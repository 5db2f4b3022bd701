import { open, stat } from 'node:fs/promises';
import { MAX_ONNX_BYTES } from '../io/read-model';
import { HEAD_BYTES, modelFileLimit, tooLargeText } from '../io/read-model-file';

/**
 * The bytes of FILE ('-': standard input), or what went wrong, in words. JSON is read up to
 * MAX_MODEL_BYTES; a larger file only when its first bytes say it is a Keras `.keras`/`.h5` or an
 * ONNX model, up to that format's limit.
 */
export async function readInput(
  file: string,
  stdin?: () => Promise<string | Uint8Array>,
): Promise<Uint8Array | { error: string }> {
  try {
    if (file === '-') {
      if (!stdin) return await readStdin();
      const input = await stdin();
      return typeof input === 'string' ? new TextEncoder().encode(input) : input;
    }
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a folder, not a model file.` };
    const handle = await open(file, 'r');
    try {
      const head = new Uint8Array(HEAD_BYTES);
      await handle.read(head, 0, HEAD_BYTES, 0);
      if (info.size > modelFileLimit(head)) return { error: tooLargeText(file, info.size, head) };
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
    if (size === 0) limit = modelFileLimit(chunk as Buffer);
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (size > limit) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}
