import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one request: when it came, and when its connection closed. */
export interface Seen {
  readonly path: string;
  readonly at: number;
  closedAt: number | null;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A server on this machine standing in for a bad or slow host, CORS open (browser tests fetch
 * from the app's origin): a route may never answer, answer slowly, or stop halfway. `seen` says
 * which requests came and when the client dropped each connection.
 */
export async function slowServer(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const entry: Seen = { path: (request.url ?? '/').split('?')[0] ?? '/', at: Date.now(), closedAt: null };
    seen.push(entry);
    request.socket.on('close', () => (entry.closedAt ??= Date.now()));
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Access-Control-Expose-Headers', 'Content-Length');
    const route = routes[entry.path];
    if (route) route(request, response);
    else response.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    /** Runs `then` after `ms`, unless the server closes first. */
    later(ms: number, then: () => void) {
      const timer = setTimeout(() => (timers.delete(timer), then()), ms);
      timers.add(timer);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlowServer = Awaited<ReturnType<typeof slowServer>>;

/**
 * Answers with `body` in chunks of `chunk` bytes, one every `everyMs`, with its Content-Length
 * unless `length` is false; `stopAfter` bytes, when given, are all it ever sends.
 */
export function dribble(
  server: () => SlowServer,
  body: Uint8Array,
  {
    chunk,
    everyMs,
    length = true,
    stopAfter,
  }: { chunk: number; everyMs: number; length?: boolean; stopAfter?: number },
): Handler {
  return (_, response) => {
    response.writeHead(200, {
      'Content-Type': 'application/gzip',
      ...(length ? { 'Content-Length': String(body.length) } : {}),
    });
    const end = Math.min(body.length, stopAfter ?? body.length);
    const send = (at: number) => {
      if (response.destroyed) return;
      response.write(body.subarray(at, Math.min(end, at + chunk)));
      if (at + chunk < end) server().later(everyMs, () => send(at + chunk));
      else if (end === body.length) response.end();
    };
    send(0);
  };
}
