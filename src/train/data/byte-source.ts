/**
 * Bytes from wherever the user's file comes from (a dropped File, a fetch() body, bytes already
 * in memory), as one Web stream with its size when known, counted as it flows for a progress bar.
 * Web streams only: the same code runs on the page, in a worker and in Node.
 */

/** A file the user chose or dropped, a fetch() body, or bytes in memory. */
export type ByteSource = ReadableStream<Uint8Array> | Blob | Uint8Array;

export interface LoadProgress {
  /** Bytes of the source read so far (compressed bytes, for an archive). */
  readonly loadedBytes: number;
  /** The source's size, when known (a File, a Uint8Array, a response with Content-Length). */
  readonly totalBytes: number | undefined;
  /** 'waiting': a download asked for, no answer yet; 'reading': bytes flowing; 'done': all read. */
  readonly phase: 'waiting' | 'reading' | 'done';
}

/** A slice of a Uint8Array source at a time, so its progress moves like a file's. */
const SLICE = 1 << 20;

/** The source as a stream of bytes, and its size when known. */
export function openSource(
  source: ByteSource,
  totalBytes?: number,
): { stream: ReadableStream<Uint8Array>; totalBytes: number | undefined } {
  if (source instanceof Uint8Array) {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= source.length) return controller.close();
        controller.enqueue(source.subarray(offset, offset + SLICE));
        offset += SLICE;
      },
    });
    return { stream, totalBytes: source.length };
  }
  if (source instanceof Blob) return { stream: source.stream(), totalBytes: source.size };
  return { stream: source, totalBytes };
}

/**
 * Passes a stream through, calling `onChunk` with the running byte count, rethrowing the
 * source's errors through `wrap` (so a later stage can tell them from its own), and cancelling
 * the source (a download stops) with the signal's reason once it is aborted.
 */
export function relay(
  stream: ReadableStream<Uint8Array>,
  wrap: (error: unknown) => unknown,
  onChunk?: (loadedBytes: number) => void,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let loaded = 0;
  signal?.addEventListener('abort', () => void reader.cancel(signal.reason).catch(() => undefined), { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          signal?.throwIfAborted();
          result = await reader.read();
          signal?.throwIfAborted();
        } catch (error) {
          controller.error(signal?.aborted ? signal.reason : wrap(error));
          await reader.cancel(error).catch(() => undefined);
          return;
        }
        if (result.done) return controller.close();
        loaded += result.value.length;
        onChunk?.(loaded);
        controller.enqueue(result.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** The first bytes of a stream (at least `want` of them unless it is shorter), and the whole stream again. */
export async function peek(
  stream: ReadableStream<Uint8Array>,
  want: number,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < want) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    length += value.length;
  }
  const head = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    head.set(chunk, offset);
    offset += chunk.length;
  }
  const replay = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = chunks.shift();
        if (chunk) return controller.enqueue(chunk);
        if (ended) return controller.close();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { head, stream: replay };
}
