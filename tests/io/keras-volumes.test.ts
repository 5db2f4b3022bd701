import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { weightIn } from '../../src/engine/notation';
import { readModelFile } from '../../src/io/read-model-file';
import { h5python, tfjsWeights, writeKerasFile } from './python/keras-files';

/**
 * A video/volume classifier as Keras 2 saves it (`model.save('m.h5')`, written by h5py in that
 * layout, weights from tfjs-layers): the 3-D layers read back with tfjs' shapes and parameter
 * counts, and the file's kernels have the shapes the engine gives in Keras notation
 * (kd × kh × kw × in × filters).
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function videoNet(): tf.LayersModel {
  const model = tf.sequential({ name: 'video_net' });
  model.add(
    tf.layers.conv3d({
      name: 'conv1',
      inputShape: [8, 16, 16, 3],
      filters: 6,
      kernelSize: [3, 3, 3],
      padding: 'same',
      activation: 'relu',
    }),
  );
  model.add(tf.layers.batchNormalization({ name: 'bn1' }));
  model.add(tf.layers.maxPooling3d({ name: 'pool1', poolSize: [1, 2, 2] }));
  model.add(tf.layers.conv3d({ name: 'conv2', filters: 4, kernelSize: [2, 3, 3], strides: [2, 1, 1] }));
  model.add(tf.layers.averagePooling3d({ name: 'pool2', poolSize: 2, padding: 'same' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'out', units: 3, activation: 'softmax' }));
  return model;
}

describe.skipIf(!h5python)('a 3-D Keras 2 .h5', () => {
  it('reads with tfjs’ shapes, parameters and kernel shapes', async () => {
    const model = videoNet();
    const { class_name, config } = model.toJSON(null, false) as unknown as { class_name: string; config: unknown };
    const path = writeKerasFile('video.h5', 'h5', { class_name, config }, tfjsWeights(model));
    const result = await readModelFile(new Uint8Array(readFileSync(path)), path);
    if (!result.ok) throw new Error(result.error);
    const analysis = analyzeModel(result.model);
    expect(analysis.diagnostics).toEqual([]);
    for (const layer of model.layers) {
      const ours = analysis.layers.find((l) => l.name === layer.name);
      expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
      expect(ours?.params, layer.name).toBe(layer.countParams());
      const held = (result.weights?.get(layer.name) ?? []).map((w) => w.shape);
      expect(held, layer.name).toEqual(layer.weights.map((w) => w.shape));
      expect(
        ours?.weights.map((w) => weightIn(w, 'keras').shape),
        layer.name,
      ).toEqual(held);
    }
    expect(analysis.totals.params).toBe(model.countParams());
    expect(result.weights?.get('conv1')?.[0]?.shape).toEqual([3, 3, 3, 3, 6]);
    model.dispose();
  });
});
