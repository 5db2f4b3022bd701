import { sizeText } from './size-text';
import { modelFileKind, modelFileLimit, readModelFile, type FileReadResult } from './read-model-file';
import { MAX_MODEL_BYTES, MAX_ONNX_BYTES } from './read-model';

/**
 * Fetches a model file from `?src=URL`: only http(s), at most the format's size limit read (JSON
 * MAX_MODEL_BYTES, Keras .h5/.keras and ONNX larger ones, told by the body's first bytes; the body
 * is streamed and cut off beyond that), never executed, only parsed. Every failure is a message
 * saying what went wrong.
 */
export async function fetchModel(src: string, base: string, fetchImpl: typeof fetch = fetch): Promise<FileReadResult> {
  let url: URL;
  try {
    url = new URL(src, base);
  } catch {
    return { ok: false, error: `?src= is not a URL: ${preview(src)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `?src= must be an http(s) address, not ${url.protocol}` };
  }
  let response: Response;
  try {
    response = await fetchImpl(url.href, { credentials: 'omit', redirect: 'follow' });
  } catch {
    return {
      ok: false,
      error: `Could not fetch ${url.href}: the server did not answer, or it does not allow other sites to read it (CORS).`,
    };
  }
  if (!response.ok)
    return {
      ok: false,
      error: `Could not fetch ${url.href}: the server answered ${response.status} ${response.statusText}.`,
    };
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_ONNX_BYTES) return { ok: false, error: tooBig(url, MAX_ONNX_BYTES, declared) };
  const bytes = await readLimited(response);
  if (typeof bytes === 'number') return { ok: false, error: tooBig(url, bytes) };
  if (modelFileKind(bytes) === 'text' && /^\s*</.test(new TextDecoder().decode(bytes.subarray(0, 256))))
    return { ok: false, error: `${url.href} is a web page (HTML), not a model file.` };
  const read = await readModelFile(bytes, url.pathname);
  return read.ok ? read : { ok: false, error: `${url.href}: ${read.error}` };
}

/** The body's bytes, or the size limit it went past (the limit of the format its first bytes begin). */
async function readLimited(response: Response): Promise<Uint8Array | number> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let limit = MAX_ONNX_BYTES;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size === 0) limit = modelFileLimit(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return limit;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return all;
}

function tooBig(url: URL, limit: number, bytes?: number): string {
  const size = bytes ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : '';
  const what = limit === MAX_MODEL_BYTES ? 'model files' : 'binary model files of this kind';
  return `${url.href} is too large${size}: ${what} are at most ${sizeText(limit)}.`;
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
