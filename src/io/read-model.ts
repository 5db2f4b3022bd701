import { importKeras, isKerasJson } from './keras/import';
import { notLayersModel } from './keras/not-layers';
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

/** Reads a model from JSON text: the project's format, Keras JSON or a TensorFlow.js model.json. */
export function readModelText(text: string): ReadResult & { source?: ModelSource } {
  if (text.length > MAX_MODEL_BYTES)
    return {
      ok: false,
      error: `The file is ${(text.length / 2 ** 20).toFixed(1)} MB; ConvScope reads model files up to ${sizeText(MAX_MODEL_BYTES)} (a model's JSON is usually well under 1 MB). Is it a weights file?`,
    };
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
  const record = data as Record<string, unknown>;
  const notLayers = notLayersModel(record);
  if (notLayers) return { ok: false, error: notLayers, source: 'keras' };
  if (isKerasJson(data)) return { ...importKeras(data), source: 'keras' };
  if ('layers' in record || record['format'] === FORMAT_ID) return { ...parseProject(data), source: 'convscope' };
  return {
    ok: false,
    error:
      `Not a model file ConvScope knows. Expected a ConvScope model ("format": "${FORMAT_ID}", "layers": [...]), ` +
      `Keras JSON (model.to_json(): "class_name" and "config"), a TensorFlow.js model.json ("modelTopology") or an ONNX file.`,
  };
}
