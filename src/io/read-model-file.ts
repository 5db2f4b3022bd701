import { analyzeModel } from '../engine/analysis/analyze';
import type { FileWeightSource } from './file-weights';
import type { FileWeight } from './keras/files/hdf5';
import type { KerasFileContents } from './keras/files/keras2-h5';
import { sniffFile } from './keras/files/sniff';
import { isOnnxBytes } from './onnx/sniff';
import { MAX_MODEL_BYTES, MAX_ONNX_BYTES, readModelData, readModelText, type ModelSource } from './read-model';
import type { ReadResult } from './project/format';
import { sizeText } from './size-text';

/**
 * Keras files hold their weights and are larger than JSON ones: a MobileNet's `.h5` is 17 MB, a
 * ResNet-50's 98 MB. Only the architecture and the weights' shapes are read.
 */
export const MAX_BINARY_MODEL_BYTES = 512 * 2 ** 20;

/** What a model file's first bytes say it is. */
export type ModelFileKind = 'onnx' | 'zip' | 'hdf5' | 'text';

/** An ONNX model, a zip (Keras 3's `.keras`), an HDF5 file (Keras 2's `.h5`) or else text (JSON). */
export function modelFileKind(head: Uint8Array): ModelFileKind {
  return isOnnxBytes(head) ? 'onnx' : sniffFile(head);
}

const LIMITS: Record<ModelFileKind, number> = {
  onnx: MAX_ONNX_BYTES,
  zip: MAX_BINARY_MODEL_BYTES,
  hdf5: MAX_BINARY_MODEL_BYTES,
  text: MAX_MODEL_BYTES,
};

const NAMES: Record<ModelFileKind, string> = {
  onnx: 'ONNX files',
  zip: 'Keras .keras files',
  hdf5: 'Keras .h5 files',
  text: 'model files',
};

/** Enough of a file's start to tell its format (`modelFileLimit`). */
export const HEAD_BYTES = 16;

/** The most bytes read of a file that starts with `head`: JSON's limit, or its binary format's. */
export function modelFileLimit(head: Uint8Array): number {
  return LIMITS[modelFileKind(head)];
}

/** "x.h5 is 600.0 MB; ConvScope reads Keras .h5 files up to 512 MB.": why a file is refused unread. */
export function tooLargeText(what: string, bytes: number, head: Uint8Array): string {
  const kind = modelFileKind(head);
  const hint = kind === 'text' ? " (a model's JSON is usually well under 1 MB). Is it a weights file?" : '.';
  return `${what} is ${(bytes / 2 ** 20).toFixed(1)} MB; ConvScope reads ${NAMES[kind]} up to ${sizeText(LIMITS[kind])}${hint}`;
}

export type FileReadResult = ReadResult & {
  source?: ModelSource;
  /** Things worth saying about a file that was read: weights whose shapes differ from the model's. */
  notes?: string[];
  /** The file's weight tensors by layer name (Keras `.h5` and `.keras`). */
  weights?: ReadonlyMap<string, readonly FileWeight[]>;
  /** The file's kernels for the Weights view, decoded when it asks (Keras `.h5` and `.keras`). */
  fileWeights?: FileWeightSource;
};

/**
 * Reads a model file from its bytes: an ONNX model, a Keras 3 `.keras` zip, a Keras 2 `.h5`
 * (HDF5), or JSON text (the project's format, Keras JSON, a TensorFlow.js model.json). Each binary
 * reader is loaded only when such a file arrives. `name` names the model and explains a misnamed file.
 */
export async function readModelFile(bytes: Uint8Array, name = ''): Promise<FileReadResult> {
  const kind = modelFileKind(bytes);
  if (bytes.byteLength > LIMITS[kind]) return { ok: false, error: tooLargeText('The file', bytes.byteLength, bytes) };
  if (kind === 'onnx') {
    const { importOnnx } = await import('./onnx/import');
    return { ...(await importOnnx(bytes, baseName(name))), source: 'onnx' };
  }
  if (kind === 'text') {
    if (/\.onnx$/i.test(name))
      return {
        ok: false,
        error:
          'The file is named .onnx but does not begin as an ONNX model does (a protobuf ModelProto, field 1: ir_version). It may be damaged, or another format renamed.',
      };
    return readModelText(new TextDecoder().decode(bytes));
  }
  const contents =
    kind === 'zip'
      ? await (await import('./keras/files/keras3-zip')).readKeras3Zip(bytes, name, MAX_BINARY_MODEL_BYTES)
      : await (await import('./keras/files/keras2-h5')).readKeras2H5(bytes, name);
  const what = kind === 'zip' ? 'Keras .keras (zip)' : 'Keras .h5 (HDF5)';
  if (typeof contents === 'string') return { ok: false, error: `${what}: ${contents}` };
  return withWeights(contents, what, baseName(name));
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? '';
}

async function withWeights(contents: KerasFileContents, what: string, fileName: string): Promise<FileReadResult> {
  const read = readModelData(contents.config);
  if (!read.ok) return { ok: false, error: `${what}, its model config: ${read.error}` };
  if (read.source !== 'keras')
    return { ok: false, error: `${what}: its model config is not Keras JSON (no "class_name").` };
  const [{ checkWeightShapes }, { kerasKernelSource }] = await Promise.all([
    import('./keras/files/weight-check'),
    import('./keras/files/trained-kernels'),
  ]);
  const notes = checkWeightShapes(analyzeModel(read.model), contents.weights, contents.weightsAt);
  const fileWeights = kerasKernelSource(fileName || 'the file', contents.weights);
  return { ...read, weights: contents.weights, fileWeights, ...(notes.length ? { notes } : {}) };
}

/** A few notes for one sentence: the first three, then how many more. */
export function notesText(notes: readonly string[]): string {
  const more = notes.length > 3 ? ` (and ${notes.length - 3} more)` : '';
  return `${notes.slice(0, 3).join(' ')}${more}`;
}
