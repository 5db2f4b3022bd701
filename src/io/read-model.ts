import { importKeras, isKerasJson } from './keras/import';
import { isOnnxBytes } from './onnx/sniff';
import { FORMAT_ID, parseProject, type ReadResult } from './project/format';
import { sizeText } from './size-text';

/** Model files are small (a ResNet-152's Keras JSON is about 0.5 MB); larger input is refused unread. */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

/**
 * An ONNX file holds its weights (ResNet-18 47 MB, AlexNet 244 MB, VGG-16 528 MB); only their
 * sizes are read. 1 GiB takes every torchvision classifier up to VGG-19 and stays well inside a
 * browser's ArrayBuffer and protobuf's 2 GB message limit (larger exports keep their weights in
 * external files, which ConvScope does not read).
 */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/** Enough of a file's start to tell its format (`modelSizeLimit`). */
export const HEAD_BYTES = 16;

export type ModelSource = 'convscope' | 'keras' | 'onnx';

/** The largest file of the format that `head` (the file's first bytes) begins. */
export function modelSizeLimit(head: Uint8Array): number {
  return isOnnxBytes(head) ? MAX_ONNX_BYTES : MAX_MODEL_BYTES;
}

/** "The file is 20.0 MB; ConvScope reads … up to 16 MB …": why a file of `bytes` is refused unread. */
export function tooLargeText(what: string, bytes: number, head: Uint8Array): string {
  const size = (bytes / 2 ** 20).toFixed(1);
  if (isOnnxBytes(head)) return `${what} is ${size} MB; ConvScope reads ONNX files up to ${sizeText(MAX_ONNX_BYTES)}.`;
  return `${what} is ${size} MB; ConvScope reads model files up to ${sizeText(MAX_MODEL_BYTES)} (a model's JSON is usually well under 1 MB). Is it a weights file?`;
}

/**
 * Reads a model file's bytes: ONNX (told by its first bytes, read by a lazily loaded importer) or
 * else UTF-8 JSON (`readModelText`). `fileName` names the model and explains a misnamed file.
 */
export async function readModelBytes(bytes: Uint8Array, fileName = ''): Promise<ReadResult & { source?: ModelSource }> {
  if (isOnnxBytes(bytes)) {
    if (bytes.byteLength > MAX_ONNX_BYTES)
      return { ok: false, error: tooLargeText('The file', bytes.byteLength, bytes) };
    const { importOnnx } = await import('./onnx/import');
    return { ...(await importOnnx(bytes, baseName(fileName))), source: 'onnx' };
  }
  if (/\.onnx$/i.test(fileName))
    return {
      ok: false,
      error:
        'The file is named .onnx but does not begin as an ONNX model does (a protobuf ModelProto, field 1: ir_version). It may be damaged, or another format renamed.',
    };
  if (bytes.byteLength > MAX_MODEL_BYTES)
    return { ok: false, error: tooLargeText('The file', bytes.byteLength, bytes) };
  return readModelText(new TextDecoder().decode(bytes));
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? '';
}

/** Reads a model from JSON text: the project's format, Keras JSON or a TensorFlow.js model.json. */
export function readModelText(text: string): ReadResult & { source?: ModelSource } {
  if (text.length > MAX_MODEL_BYTES)
    return { ok: false, error: tooLargeText('The file', text.length, new Uint8Array()) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      error: `Not valid JSON: ${(e as Error).message}${text.trim() === '' ? ' (the file is empty)' : ''}.`,
    };
  }
  return readModelData(data);
}

/** Reads a model from parsed JSON, detecting its format. */
export function readModelData(data: unknown): ReadResult & { source?: ModelSource } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: 'A model file must hold a JSON object.' };
  }
  if (isKerasJson(data)) return { ...importKeras(data), source: 'keras' };
  const record = data as Record<string, unknown>;
  if ('layers' in record || record['format'] === FORMAT_ID) return { ...parseProject(data), source: 'convscope' };
  return {
    ok: false,
    error:
      `Not a model file ConvScope knows. Expected a ConvScope model ("format": "${FORMAT_ID}", "layers": [...]), ` +
      `Keras JSON (model.to_json(): "class_name" and "config"), a TensorFlow.js model.json ("modelTopology") or an ONNX file.`,
  };
}
