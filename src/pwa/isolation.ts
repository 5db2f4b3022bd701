/**
 * Cross-origin isolation: a page served with these two headers gets SharedArrayBuffer, and so
 * WASM threads on every core for training (src/train/backend/wasm-threads.ts). The dev and
 * preview servers send them (vite.config.ts); the built site's service worker (sw.ts) adds them
 * to what it serves, where a static host cannot.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** `response` with the isolation headers; an opaque response (no headers to read or set) as it is. */
export function isolated(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
