import { analyzeModel } from '../engine/analysis/analyze';
import type { FileWeight } from './keras/files/hdf5';
import type { KerasFileContents } from './keras/files/keras2-h5';
import { sniffFile } from './keras/files/sniff';
import { MAX_MODEL_BYTES, readModelData, readModelText, type ModelSource } from './read-model';
import type { ReadResult } from './project/format';

/**
 * Binary model files (Keras weights included) are larger than JSON ones: a MobileNet's `.h5` is
 * 17 MB, a ResNet-50's 98 MB. Only the architecture and the weights' shapes are read.
 */
export const MAX_BINARY_MODEL_BYTES = 512 * 2 ** 20;

export type FileReadResult = ReadResult & {
  source?: ModelSource;
  /** Things worth saying about a file that was read: weights whose shapes differ from the model's. */
  notes?: string[];
  /** The file's weight tensors by layer name (Keras `.h5` and `.keras`). */
  weights?: ReadonlyMap<string, readonly FileWeight[]>;
};

/**
 * Reads a model file from its bytes: a Keras 3 `.keras` zip, a Keras 2 `.h5` (HDF5), or JSON
 * text (the project's format, Keras JSON, a TensorFlow.js model.json). The zip and HDF5 readers
 * are loaded only when such a file arrives.
 */
export async function readModelFile(bytes: Uint8Array, name: string): Promise<FileReadResult> {
  const kind = sniffFile(bytes);
  if (kind === 'text') return readModelText(new TextDecoder().decode(bytes));
  if (bytes.byteLength > MAX_BINARY_MODEL_BYTES) return { ok: false, error: tooLarge(bytes.byteLength) };
  const contents =
    kind === 'zip'
      ? await (await import('./keras/files/keras3-zip')).readKeras3Zip(bytes, name, MAX_BINARY_MODEL_BYTES)
      : await (await import('./keras/files/keras2-h5')).readKeras2H5(bytes, name);
  const what = kind === 'zip' ? 'Keras .keras (zip)' : 'Keras .h5 (HDF5)';
  if (typeof contents === 'string') return { ok: false, error: `${what}: ${contents}` };
  return withWeights(contents, what);
}

async function withWeights(contents: KerasFileContents, what: string): Promise<FileReadResult> {
  const read = readModelData(contents.config);
  if (!read.ok) return { ok: false, error: `${what}, its model config: ${read.error}` };
  if (read.source !== 'keras')
    return { ok: false, error: `${what}: its model config is not Keras JSON (no "class_name").` };
  const { checkWeightShapes } = await import('./keras/files/weight-check');
  const notes = checkWeightShapes(analyzeModel(read.model), contents.weights, contents.weightsAt);
  return { ...read, weights: contents.weights, ...(notes.length ? { notes } : {}) };
}

/** The most bytes read for a file that starts with `head`: JSON's limit, or the larger one for zip/HDF5. */
export function modelFileLimit(head: Uint8Array): number {
  return sniffFile(head) === 'text' ? MAX_MODEL_BYTES : MAX_BINARY_MODEL_BYTES;
}

/** A few notes for one sentence: the first three, then how many more. */
export function notesText(notes: readonly string[]): string {
  const more = notes.length > 3 ? ` (and ${notes.length - 3} more)` : '';
  return `${notes.slice(0, 3).join(' ')}${more}`;
}

export function tooLarge(bytes: number): string {
  return `The file is ${(bytes / 2 ** 20).toFixed(1)} MB; ConvScope reads Keras .h5 and .keras files up to ${MAX_BINARY_MODEL_BYTES / 2 ** 20} MB and JSON model files up to 16 MB.`;
}
