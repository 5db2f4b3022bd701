import type { ReadResult } from './project/format';
import { MAX_MODEL_BYTES, readModelText } from './read-model';

/**
 * Fetches a model file from `?src=URL`: only http(s), at most MAX_MODEL_BYTES read (the body is
 * streamed and cut off beyond that), never executed, only parsed as JSON. Every failure is a
 * message saying what went wrong.
 */
export async function fetchModel(src: string, base: string, fetchImpl: typeof fetch = fetch): Promise<ReadResult> {
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
  if (declared > MAX_MODEL_BYTES) return { ok: false, error: tooBig(url, declared) };
  const text = await readLimited(response);
  if (text === null) return { ok: false, error: tooBig(url) };
  if (/^\s*</.test(text)) return { ok: false, error: `${url.href} is a web page (HTML), not a model file.` };
  const read = readModelText(text);
  return read.ok ? read : { ok: false, error: `${url.href}: ${read.error}` };
}

async function readLimited(response: Response): Promise<string | null> {
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_MODEL_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

function tooBig(url: URL, bytes?: number): string {
  const size = bytes ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : '';
  return `${url.href} is too large${size}: model files are at most ${MAX_MODEL_BYTES / 1024 / 1024} MB.`;
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
