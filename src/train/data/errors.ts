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
  | 'read'
  /** A download that received nothing for the stall time (download.ts): given up. */
  | 'stalled';

/** Bytes for people: "57.8 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** The longest address a message quotes whole; longer ones keep their start and end. */
const ADDRESS_CHARS = 120;

/**
 * An address for people: without a user name or password (never shown back), and shortened in
 * the middle when long, so a hostile link cannot fill the panel.
 */
export function formatAddress(url: string): string {
  let shown = url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    shown = parsed.href;
  } catch {
    // Not an address: quoted as it is, shortened like one.
  }
  if (shown.length <= ADDRESS_CHARS) return shown;
  const half = Math.floor((ADDRESS_CHARS - 1) / 2);
  return `${shown.slice(0, half)}…${shown.slice(-half)}`;
}
