/**
 * A data set that can't be read, said for the person who chose it: what was expected and what
 * was found. Loaders throw it (and only it, besides an AbortSignal's reason) so the Train panel
 * can show `message` as it is, with no stack trace.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    message: string,
    /** What the loader was reading when it gave up, for logs and tests. */
    readonly kind: DatasetErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type DatasetErrorKind =
  | 'empty'
  | 'not-an-archive'
  | 'truncated'
  | 'corrupt'
  | 'wrong-layout'
  | 'bad-records'
  /** The source itself failed: a download cut off, a file that can't be read, an HTTP error. */
  | 'read';

/** Bytes for people: "57.8 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
