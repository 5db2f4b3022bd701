import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { findPython, runPython } from './find-python';

/** A Python with h5py (Debian: python3-h5py), or null: the tests that write Keras files skip without it. */
export const h5python = findPython(['h5py', 'numpy']);
const script = fileURLToPath(new URL('./write_keras_files.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'convscope-keras-files-'));

export interface LayerWeights {
  readonly name: string;
  readonly className: string;
  readonly weights: { name: string; shape: number[]; values?: number[] }[];
}

/** Each layer's weights as tfjs-layers holds them: Keras 2 names (`conv1/kernel:0`), shapes and values. */
export function tfjsWeights(model: tf.LayersModel, withValues = true): LayerWeights[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    weights: layer.weights.map((w, i) => ({
      name: `${layer.name}/${w.originalName.split('/').pop() ?? w.originalName}:0`,
      shape: [...w.shape] as number[],
      ...(withValues ? { values: Array.from(layer.getWeights()[i]?.dataSync() ?? []) } : {}),
    })),
  }));
}

/** Writes a Keras file with h5py/zipfile (tests/io/python/write_keras_files.py) and returns its path. */
export function writeKerasFile(
  fileName: string,
  format: 'h5' | 'keras' | 'weights-h5',
  config: unknown,
  layers: readonly LayerWeights[],
  options: { configAsStr?: boolean } = {},
): string {
  if (!h5python) throw new Error('no Python with h5py');
  const out = join(dir, fileName);
  runPython(h5python, script, { out, format, config, layers, ...options });
  return out;
}

/** A small CNN in tfjs-layers: 3×3 convolution on 8×8×3, batch norm, pooling, two dense layers. */
export function smallCnn(): tf.LayersModel {
  const model = tf.sequential({ name: 'small_cnn' });
  model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.batchNormalization({ name: 'bn1' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'fc1', units: 5, activation: 'relu' }));
  model.add(tf.layers.dense({ name: 'fc2', units: 2, activation: 'softmax' }));
  return model;
}
