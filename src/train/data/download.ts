import { DatasetError, formatAddress, formatBytes } from './errors';

/**
 * A data set's archive from an address: fetch() with a watchdog. A server that never answers,
 * or stops sending halfway, would otherwise hold a run (and every later one) forever; here a
 * download that receives nothing for `stallMs` is given up with a message that says so, and the
 * caller's signal (the Stop button) ends it at once, connection included.
 */

/** How long a download may go without receiving a byte before it is given up. */
export const STALL_MS = 30_000;

export interface DownloadOptions {
  /** Ends the download (the request and its connection); it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Give up after this long without a byte (default STALL_MS). */
  readonly stallMs?: number;
  /** The fetch to use (the platform's unless given). */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface Download {
  /** The body, watched: it fails with the stall's DatasetError, or the caller's reason. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The body's size, when the server says it (and no Content-Encoding changes it). */
  readonly totalBytes: number | undefined;
  /** Aborted when the caller aborts or the download stalls; its reason says which. */
  readonly signal: AbortSignal;
}

/**
 * Starts downloading `url` (an absolute address). Rejects with a DatasetError when the server
 * can't be reached, answers with an error, or sends nothing for `stallMs`; with the signal's
 * reason when the caller aborts. The stall clock runs only while a read waits for the network,
 * never while the reader is busy with what it got.
 */
export async function openDownload(url: string, options: DownloadOptions = {}): Promise<Download> {
  const stallMs = options.stallMs ?? STALL_MS;
  const stall = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  // What has come so far, for the stall's message.
  const got: { answered: boolean; loaded: number; total?: number } = { answered: false, loaded: 0 };
  const stalled = () => stall.abort(stallError(url, stallMs, got));
  let response: Response;
  const waiting = setTimeout(stalled, stallMs);
  try {
    response = await (options.fetch ?? fetch)(url, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new DatasetError(
      `Could not download ${formatAddress(url)}: ${reason(error)}. Offline, or the server does not let this page read it (CORS)? ` +
        `Download the file yourself and choose it instead.`,
      'read',
      { cause: error },
    );
  } finally {
    clearTimeout(waiting);
  }
  if (!response.ok || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    throw new DatasetError(
      `Could not download ${formatAddress(url)}: the server answered ${`${response.status} ${response.statusText}`.trim()}.`,
      'read',
    );
  }
  // With a Content-Encoding the length counts encoded bytes, not the ones the body yields.
  const length = Number(response.headers.get('content-length'));
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  got.answered = true;
  if (length > 0 && !encoded) got.total = length;
  const stream = watched(response.body, signal, stallMs, stalled, (bytes) => (got.loaded += bytes));
  return { stream, totalBytes: got.total, signal };
}

/**
 * The body, read one chunk per pull (no read-ahead, so a pending read means the network is
 * late): `onStall` runs when one waits `stallMs`; a read fails with the signal's reason once it
 * is aborted, even from a fetch that ignores its signal.
 */
function watched(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  stallMs: number,
  onStall: () => void,
  onBytes: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let stop = () => {};
  const aborted = new Promise<never>((_, reject) => {
    stop = () => {
      reject(signal.reason);
      void reader.cancel(signal.reason).catch(() => undefined);
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => undefined);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const timer = setTimeout(onStall, stallMs);
        try {
          // The abort first: once aborted, the cancelled body's read also settles, saying "done".
          const result = await Promise.race([aborted, reader.read()]);
          if (result.done) {
            signal.removeEventListener('abort', stop);
            return controller.close();
          }
          onBytes(result.value.length);
          controller.enqueue(result.value);
        } catch (error) {
          signal.removeEventListener('abort', stop);
          controller.error(signal.aborted ? signal.reason : error);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(why) {
        signal.removeEventListener('abort', stop);
        return reader.cancel(why);
      },
    },
    { highWaterMark: 0 },
  );
}

/** "2 s", "0.5 s". */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

function stallError(
  url: string,
  stallMs: number,
  { answered, loaded, total }: { answered: boolean; loaded: number; total?: number },
): DatasetError {
  const where = !answered
    ? ' (the server has not answered)'
    : `, after ${formatBytes(loaded)}${total ? ` of ${formatBytes(total)}` : ''}`;
  return new DatasetError(
    `The CIFAR-10 download stalled: no data for ${seconds(stallMs)} from ${formatAddress(url)}${where}. ` +
      `Check the connection and start again, or download the file yourself and choose it.`,
    'stalled',
  );
}

/** Why a fetch failed, in words: Node's fetch hides the reason in `cause`. */
function reason(error: unknown): string {
  const cause = (error as { cause?: { message?: string } } | undefined)?.cause;
  const text = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return text.replace(/\.$/, '');
}

/**
 * The address a data set is fetched from: `text` resolved against the app's own address (as a
 * link on the page would be), so `data/cifar-10-binary.tar.gz` is the copy beside the app.
 * Only http(s) addresses; anything else is refused with a message saying so.
 */
export function resolveArchiveUrl(
  text: string,
  base: string,
): { ok: true; url: string } | { ok: false; error: string } {
  const shown = formatAddress(text.trim());
  let url: URL;
  try {
    url = new URL(text.trim(), base);
  } catch {
    return { ok: false, error: `“${shown}” is not an address the CIFAR-10 archive can be downloaded from.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      ok: false,
      error: `“${shown}” is a ${url.protocol.replace(/:$/, '')}: address; the CIFAR-10 archive is downloaded over http or https only.`,
    };
  return { ok: true, url: url.href };
}
