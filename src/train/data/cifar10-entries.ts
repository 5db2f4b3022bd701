import type { ParsedTarEntry } from 'modern-tar';
import { RecordDecoder } from './cifar10-records';
import { DatasetError } from './errors';

/** What the archive held, filled in entry by entry as the tar stream is read. */
export interface Found {
  /** data_batch_N.bin by N. */
  readonly train: Map<number, RecordDecoder>;
  test: RecordDecoder | undefined;
  classes: string[] | undefined;
  /** Every file's path in the archive, in order. */
  readonly names: string[];
  /** The file being read when something went wrong. */
  current: string | undefined;
}

export const emptyFound = (): Found => ({
  train: new Map(),
  test: undefined,
  classes: undefined,
  names: [],
  current: undefined,
});

/** The official archive's other versions and its sibling data set, told apart by their folders and files. */
const LOOKALIKES: readonly (readonly [RegExp, string])[] = [
  [/(^|\/)cifar-10-batches-py\//, 'the Python (pickle) version of CIFAR-10 (cifar-10-python.tar.gz)'],
  [/(^|\/)cifar-10-batches-mat\//, 'the MATLAB version of CIFAR-10 (cifar-10-matlab.tar.gz)'],
  [/(^|\/)cifar-100-(binary|python|matlab)\/|(^|\/)coarse_label_names\.txt$/, 'CIFAR-100, not CIFAR-10'],
];

/** Reads every entry of the tar stream into `found`: record files decoded, the class list read, the rest skipped. */
export async function readEntries(entries: ReadableStream<ParsedTarEntry>, found: Found): Promise<void> {
  const reader = entries.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await readEntry(value, found);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  }
}

async function readEntry(entry: ParsedTarEntry, found: Found): Promise<void> {
  const { name, size } = entry.header;
  for (const [pattern, what] of LOOKALIKES)
    if (pattern.test(name))
      throw new DatasetError(
        `This archive is ${what}. ConvScope reads the binary version, cifar-10-binary.tar.gz ` +
          `(from https://www.cs.toronto.edu/~kriz/cifar.html).`,
        'wrong-layout',
      );
  if ((entry.header.type ?? 'file') !== 'file') return entry.body.cancel();
  found.names.push(name);
  const base = name.slice(name.lastIndexOf('/') + 1);
  const batch = /^data_batch_([1-9]\d*)\.bin$/.exec(base);
  if (batch || base === 'test_batch.bin') {
    const number = batch ? Number(batch[1]) : 0;
    if (batch ? found.train.has(number) : found.test)
      throw new DatasetError(`The archive holds ${base} twice; expected one of each batch.`, 'wrong-layout');
    found.current = name;
    const decoder = new RecordDecoder(name, size);
    await drain(entry.body, (chunk) => decoder.push(chunk));
    if (!decoder.complete) throw new DatasetError(`${name} ends before its last record.`, 'truncated');
    if (batch) found.train.set(number, decoder);
    else found.test = decoder;
  } else if (base === 'batches.meta.txt') {
    found.current = name;
    const parts: Uint8Array[] = [];
    await drain(entry.body, (chunk) => void parts.push(chunk.slice()));
    found.classes = classNames(new TextDecoder().decode(concat(parts)));
  } else await entry.body.cancel();
  found.current = undefined;
}

/** The class names, one a line (the official file ends with blank lines). */
function classNames(text: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length !== 10)
    throw new DatasetError(
      `batches.meta.txt lists ${names.length} class names; CIFAR-10 has 10 (airplane, automobile, …, truck).`,
      'wrong-layout',
    );
  return names;
}

async function drain(body: ReadableStream<Uint8Array>, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onChunk(value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
