/**
 * Cross-origin isolation: a page served with the first two headers gets SharedArrayBuffer, and
 * so WASM threads on every core for training (src/train/backend/wasm/threads.ts). The third lets
 * an isolated page on another origin embed the app in an iframe (`allow="cross-origin-isolated"`):
 * under its `require-corp`, a frame whose document does not say it may be loaded cross-origin is
 * blocked. The dev and preview servers send all three (vite.config.ts); the built site's service
 * worker (sw.ts) adds them to what it serves, where a static host cannot.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** `response` with the isolation headers (all three); an opaque response (no headers to read or set) as it is. */
export function isolated(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
