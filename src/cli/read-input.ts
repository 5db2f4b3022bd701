import { open, readFile, stat } from 'node:fs/promises';
import { sniffFile } from '../io/keras/files/sniff';
import { MAX_MODEL_BYTES } from '../io/read-model';
import { MAX_BINARY_MODEL_BYTES } from '../io/read-model-file';

/**
 * The bytes of FILE ('-': standard input), or what went wrong, in words. JSON is read up to
 * MAX_MODEL_BYTES; a larger file is read only when its first bytes say it is a zip or HDF5 file
 * (a Keras `.keras` or `.h5`), up to MAX_BINARY_MODEL_BYTES.
 */
export async function readInput(
  file: string,
  stdin?: () => Promise<string | Uint8Array>,
): Promise<Uint8Array | { error: string }> {
  try {
    if (file === '-') {
      const input = stdin ? await stdin() : await readStdin();
      return typeof input === 'string' ? new TextEncoder().encode(input) : input;
    }
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a folder, not a model file.` };
    const limit = info.size > MAX_MODEL_BYTES && (await isBinaryModel(file)) ? MAX_BINARY_MODEL_BYTES : MAX_MODEL_BYTES;
    if (info.size > limit) {
      return {
        error:
          limit === MAX_MODEL_BYTES
            ? `${file} is ${mb(info.size)} MB; ConvScope reads model files up to ${MAX_MODEL_BYTES / 2 ** 20} MB (a model's JSON is usually well under 1 MB). Is it a weights file?`
            : `${file} is ${mb(info.size)} MB; ConvScope reads Keras .h5 and .keras files up to ${MAX_BINARY_MODEL_BYTES / 2 ** 20} MB.`,
      };
    }
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file}: no such file.` };
    if (code === 'EACCES') return { error: `${file}: permission denied.` };
    return { error: `${file}: cannot be read (${code ?? (e as Error).message}).` };
  }
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function isBinaryModel(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(8);
    await handle.read(head, 0, 8, 0);
    return sniffFile(head) !== 'text';
  } finally {
    await handle.close();
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_BINARY_MODEL_BYTES + 1) break;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
