import { createTarDecoder } from 'modern-tar';
import type { Dataset, ImageSet } from '../types';
import { openSource, peek, relay, type ByteSource, type LoadProgress } from './byte-source';
import { IMAGE_BYTES, PIXELS, type RecordDecoder } from './cifar10-records';
import { concat, emptyFound, readEntries, type Found } from './cifar10-entries';
import { openDownload, type DownloadOptions } from './download';
import { DatasetError, formatBytes } from './errors';
import { sniff } from './sniff';
import { statsFromSums } from './stats';

/**
 * CIFAR-10 (Krizhevsky, 2009) from the official binary archive, `cifar-10-binary.tar.gz`:
 * `cifar-10-batches-bin/` with data_batch_1.bin … data_batch_5.bin (10,000 records each),
 * test_batch.bin (10,000) and batches.meta.txt (the class names). The bytes are decompressed
 * (the platform's DecompressionStream, which also checks the gzip CRC), split into files
 * (modern-tar, strict: header checksums and truncation are errors) and decoded into
 * preallocated arrays as they arrive, so a 170 MB download is parsed while it downloads.
 */

/** The class order of the official batches.meta.txt, used when an archive has no such file. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

const OFFICIAL = 'the binary version of CIFAR-10, cifar-10-binary.tar.gz (170,052,171 bytes)';

export interface Cifar10Options {
  /** The source's size when it is a stream (a fetch() body's Content-Length), for progress. */
  readonly totalBytes?: number;
  /** Cancels the read (and a download with it); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Where a failure came from, so a gzip error is not mistaken for a tar error. */
class StageFailure {
  constructor(
    readonly stage: 'source' | 'gzip',
    readonly cause: unknown,
  ) {}
}

/**
 * Reads and checks a CIFAR-10 binary archive (also accepted: the same tar uncompressed, as some
 * browsers and servers leave it). Rejects with a `DatasetError` whose message says what was
 * expected and what was found: never a hang, never a bare decompressor or parser error.
 */
export async function loadCifar10(
  source: ByteSource,
  onProgress?: (progress: LoadProgress) => void,
  options: Cifar10Options = {},
): Promise<Dataset> {
  const opened = openSource(source, options.totalBytes);
  const progress = reporter(opened.totalBytes, onProgress);
  // Stops the source when anything fails, as well as when the caller aborts.
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const found = emptyFound();
  const context = { found, progress, totalBytes: opened.totalBytes, gzip: false };
  try {
    const bytes = relay(opened.stream, (e) => new StageFailure('source', e), progress.update, stop.signal);
    const { head, stream } = await peek(bytes, 4096);
    const kind = sniff(head);
    if (kind.kind === 'empty') throw new DatasetError(`The file is empty (0 bytes); expected ${OFFICIAL}.`, 'empty');
    if (kind.kind === 'other')
      throw new DatasetError(`This is ${kind.what}, not a .tar.gz archive; expected ${OFFICIAL}.`, 'not-an-archive');
    context.gzip = kind.kind === 'gzip';
    const tar = context.gzip
      ? relay(stream.pipeThrough(gunzip()), (e) =>
          e instanceof StageFailure || e === stop.signal.reason ? e : new StageFailure('gzip', e),
        )
      : stream;
    await readEntries(tar.pipeThrough(createTarDecoder({ strict: true })), found);
    const dataset = assemble(found);
    progress.done();
    return dataset;
  } catch (error) {
    const failure = options.signal?.aborted ? options.signal.reason : explain(error, context);
    stop.abort(failure);
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

// TypeScript's DOM types take only ArrayBuffer-backed chunks; ours are (no SharedArrayBuffer here).
const gunzip = () => new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;

/**
 * Downloads a CIFAR-10 archive from `url` (absolute) and loads it as it arrives. Progress starts
 * with a 'waiting' report until the server answers; a download that stalls or is aborted
 * rejects as download.ts says.
 */
export async function loadCifar10FromUrl(
  url: string,
  onProgress?: (progress: LoadProgress) => void,
  options: DownloadOptions = {},
): Promise<Dataset> {
  onProgress?.({ loadedBytes: 0, totalBytes: undefined, phase: 'waiting' });
  const { stream, totalBytes, signal } = await openDownload(url, options);
  return loadCifar10(stream, onProgress, { signal, ...(totalBytes ? { totalBytes } : {}) });
}

function reporter(totalBytes: number | undefined, onProgress?: (progress: LoadProgress) => void) {
  // At least 200 reports over a file of known size, and one per 64 KiB, so that a slow download
  // moves too; whoever posts them on (load-data.ts) thins them out by time.
  const step = Math.min(1 << 16, totalBytes ? Math.max(1, Math.floor(totalBytes / 200)) : 1 << 16);
  let loaded = 0;
  let reported = 0;
  onProgress?.({ loadedBytes: 0, totalBytes, phase: 'reading' });
  return {
    get loaded() {
      return loaded;
    },
    update(bytes: number) {
      loaded = bytes;
      if (loaded - reported < step && loaded !== totalBytes) return;
      reported = loaded;
      onProgress?.({ loadedBytes: loaded, totalBytes, phase: 'reading' });
    },
    done() {
      onProgress?.({ loadedBytes: loaded, totalBytes: totalBytes ?? loaded, phase: 'done' });
    },
  };
}

function assemble(found: Found): Dataset {
  const listing = () => {
    const names = found.names.slice(0, 6).join(', ');
    return found.names.length === 0
      ? 'it holds no files'
      : `it holds ${found.names.length} file${found.names.length === 1 ? '' : 's'}: ${names}${found.names.length > 6 ? ', …' : ''}`;
  };
  if (!found.test)
    throw new DatasetError(
      `No test_batch.bin in this archive (${listing()}); expected cifar-10-batches-bin/ with ` +
        `data_batch_1.bin … data_batch_5.bin and test_batch.bin, as in ${OFFICIAL}.`,
      'wrong-layout',
    );
  const batches = [...found.train.entries()].sort(([a], [b]) => a - b).map(([, decoder]) => decoder);
  if (batches.length === 0)
    throw new DatasetError(
      `No training batch (data_batch_1.bin … data_batch_5.bin) in this archive (${listing()}).`,
      'wrong-layout',
    );
  const train = joined(batches);
  const sums = [0, 1, 2].map((c) => batches.reduce((s, b) => s + (b.sums[c] ?? 0), 0));
  const squares = [0, 1, 2].map((c) => batches.reduce((s, b) => s + (b.squares[c] ?? 0), 0));
  const { mean, std } = statsFromSums(sums, squares, train.count * PIXELS);
  return {
    id: 'cifar10',
    name: `CIFAR-10 (${train.count.toLocaleString('en')} training images)`,
    classes: found.classes ?? [...CIFAR10_CLASSES],
    shape: [32, 32, 3],
    train,
    test: { images: found.test.images, labels: found.test.labels, count: found.test.records },
    mean,
    std,
  };
}

/** The training batches in order as one set (no copy for a single batch). */
function joined(batches: readonly RecordDecoder[]): ImageSet {
  const [first] = batches;
  if (batches.length === 1 && first) return { images: first.images, labels: first.labels, count: first.records };
  const count = batches.reduce((sum, b) => sum + b.records, 0);
  const images = new Uint8Array(count * IMAGE_BYTES);
  let offset = 0;
  for (const batch of batches) {
    images.set(batch.images, offset);
    offset += batch.images.length;
  }
  return { images, labels: concat(batches.map((b) => b.labels)), count };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');

/** Turns whatever stopped the read into a message for the person who chose the file. */
function explain(
  error: unknown,
  context: { found: Found; progress: { loaded: number }; totalBytes: number | undefined; gzip: boolean },
): DatasetError {
  if (error instanceof DatasetError) return error;
  const { found, progress, totalBytes } = context;
  const at =
    progress.loaded === totalBytes
      ? `at the end of the file (${formatBytes(progress.loaded)})`
      : `after ${formatBytes(progress.loaded)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
  const where = found.current ? ` while reading ${found.current}` : '';
  if (error instanceof StageFailure && error.stage === 'source')
    return new DatasetError(`Reading the file failed ${at}: ${message(error.cause)}.`, 'read', { cause: error.cause });
  const cause = error instanceof StageFailure ? error.cause : error;
  const detail = message(cause);
  if (/truncat|end of (file|stream|input)|unexpected end|premature/i.test(detail))
    return new DatasetError(
      `The archive ends early${where}: the file stops after ${formatBytes(progress.loaded)} (${detail}). ` +
        `Was the download cut short? Expected ${OFFICIAL}.`,
      'truncated',
      { cause },
    );
  if (error instanceof StageFailure)
    return new DatasetError(
      `The archive is corrupt: its compressed data fails to decompress ${at} (${detail}). Download it again.`,
      'corrupt',
      { cause },
    );
  if (found.names.length === 0)
    return new DatasetError(
      `${context.gzip ? 'This gzip file holds no tar archive' : 'This is not a tar archive'} (${detail}); expected ${OFFICIAL}.`,
      'not-an-archive',
      { cause },
    );
  return new DatasetError(`The archive is corrupt${where}, ${at} (${detail}). Download it again.`, 'corrupt', {
    cause,
  });
}
