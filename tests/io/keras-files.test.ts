import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { fetchModel } from '../../src/io/fetch-model';
import { readModelFile, type FileReadResult } from '../../src/io/read-model-file';
import { h5python, smallCnn, tfjsWeights, writeKerasFile, type LayerWeights } from './python/keras-files';

const bytes = (path: string) => new Uint8Array(readFileSync(path));
const read = (path: string) => readModelFile(bytes(path), path);

function ok(result: FileReadResult) {
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** Keras 2's model_config: `model.to_json()`, as tfjs-layers writes it. */
function keras2Config(model: tf.LayersModel) {
  const { class_name, config } = model.toJSON(null, false) as unknown as { class_name: string; config: unknown };
  return { class_name, config };
}

/** The same small CNN as Keras 3's config.json writes it: module, registered_name, batch_shape, build_config. */
function keras3Config() {
  const layer = (class_name: string, config: Record<string, unknown>) => ({
    module: 'keras.layers',
    class_name,
    config: { trainable: true, dtype: 'float32', ...config },
    registered_name: null,
  });
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'small_cnn',
      trainable: true,
      layers: [
        layer('InputLayer', { name: 'input_layer', batch_shape: [null, 8, 8, 3], sparse: false }),
        layer('Conv2D', {
          name: 'conv1',
          filters: 4,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'valid',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          groups: 1,
          activation: 'relu',
          use_bias: true,
        }),
        layer('BatchNormalization', {
          name: 'bn1',
          axis: -1,
          momentum: 0.99,
          epsilon: 0.001,
          center: true,
          scale: true,
        }),
        layer('MaxPooling2D', { name: 'pool1', pool_size: [2, 2], strides: [2, 2], padding: 'valid' }),
        layer('Flatten', { name: 'flat' }),
        layer('Dense', { name: 'fc1', units: 5, activation: 'relu', use_bias: true }),
        layer('Dense', { name: 'fc2', units: 2, activation: 'softmax', use_bias: true }),
      ],
      build_input_shape: [null, 8, 8, 3],
    },
    registered_name: null,
    build_config: { input_shape: [null, 8, 8, 3] },
  };
}

/** Every layer's output shape and parameter count, and the totals, equal tfjs-layers'. */
function expectSameAsTfjs(result: FileReadResult & { ok: true }, model: tf.LayersModel) {
  const analysis = analyzeModel(result.model);
  expect(analysis.diagnostics).toEqual([]);
  for (const layer of model.layers) {
    const ours = analysis.layers.find((l) => l.name === layer.name);
    expect([null, ...(ours?.output ?? [])], layer.name).toEqual(layer.outputShape);
    expect(ours?.params, layer.name).toBe(layer.countParams());
  }
  expect(analysis.totals.params).toBe(model.countParams());
}

let model: tf.LayersModel;
let weights: LayerWeights[];
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = smallCnn();
  weights = tfjsWeights(model);
});

describe.skipIf(!h5python)('Keras 2 .h5 (model.save), written by h5py in Keras 2’s layout', () => {
  it('reads the architecture from model_config and each layer’s weights with tfjs’ shapes and values', async () => {
    const result = ok(await read(writeKerasFile('cnn.h5', 'h5', keras2Config(model), weights)));
    expect(result.source).toBe('keras');
    expect(result.notes).toBeUndefined();
    expectSameAsTfjs(result, model);
    for (const layer of model.layers) {
      const held = result.weights?.get(layer.name) ?? [];
      expect(
        held.map((w) => w.shape),
        layer.name,
      ).toEqual(layer.weights.map((w) => w.shape));
    }
    const kernel = result.weights?.get('conv1')?.[0];
    expect(kernel?.path).toBe('model_weights/conv1/conv1/kernel:0');
    const expected = Array.from(model.getLayer('conv1').getWeights()[0]!.dataSync());
    expect(Array.from(kernel?.values() ?? [])).toEqual(expected);
  });

  it('reads model_config stored as a variable-length string too (h5py writes str that way)', async () => {
    const path = writeKerasFile('cnn-str.h5', 'h5', keras2Config(model), weights, { configAsStr: true });
    expectSameAsTfjs(ok(await read(path)), model);
  });

  it('names the layer whose weights in the file do not fit the architecture', async () => {
    const wrong = weights.map((l) =>
      l.name === 'fc1'
        ? {
            ...l,
            weights: [
              { name: 'fc1/kernel:0', shape: [36, 6] },
              { name: 'fc1/bias:0', shape: [6] },
            ],
          }
        : l,
    );
    const result = ok(await read(writeKerasFile('wrong.h5', 'h5', keras2Config(model), wrong)));
    expect(result.notes).toEqual(['model_weights/fc1: the file holds 36×6, 6; the layer as read needs 36×5, 5.']);
  });

  it('says once, not once per layer, that a file holds no weights', async () => {
    const bare = weights.map((l) => ({ ...l, weights: [] }));
    const result = ok(await read(writeKerasFile('bare.h5', 'h5', keras2Config(model), bare)));
    expect(result.notes).toEqual(['model_weights: the file holds no weights (only the architecture was read).']);
  });

  it('refuses a weights-only file (save_weights) and says what to open instead', async () => {
    const result = await read(writeKerasFile('weights-only.h5', 'weights-h5', null, weights));
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Keras \.h5 \(HDF5\): .*only weights.*model\.save\(\)/),
    });
  });

  it('a cut-off .h5 is a message, not a thrown error', async () => {
    const whole = bytes(writeKerasFile('cut.h5', 'h5', keras2Config(model), weights));
    const result = await readModelFile(whole.subarray(0, 1500), 'cut.h5');
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Keras \.h5 \(HDF5\): .*cannot be read.*complete/),
    });
  });

  it('an architecture with a problem is reported as the Keras JSON importer reports it', async () => {
    const config = { class_name: 'Functional', config: { name: 'x', layers: [] } };
    const result = await read(writeKerasFile('empty.h5', 'h5', config, []));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('no layers') });
  });
});

describe.skipIf(!h5python)('Keras 3 .keras (a zip: config.json, metadata.json, model.weights.h5)', () => {
  it('reads config.json, and maps layers/<class>_<n>/vars/<i> back onto the layers in order', async () => {
    const result = ok(await read(writeKerasFile('cnn.keras', 'keras', keras3Config(), weights)));
    expect(result.source).toBe('keras');
    expect(result.notes).toBeUndefined();
    expectSameAsTfjs(result, model);
    expect(result.weights?.get('fc2')?.map((w) => w.path)).toEqual(['layers/dense_1/vars/0', 'layers/dense_1/vars/1']);
    expect(result.weights?.get('bn1')?.map((w) => w.shape)).toEqual([[4], [4], [4], [4]]);
  });

  it('a zip without config.json, or a cut-off zip, is a located message', async () => {
    const path = writeKerasFile('cnn2.keras', 'keras', keras3Config(), weights);
    const cut = await readModelFile(bytes(path).subarray(0, 300), 'cut.keras');
    expect(cut).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Keras \.keras \(zip\): the zip cannot be read/),
    });
    const { zipSync, strToU8 } = await import('fflate');
    const other = zipSync({ 'readme.txt': strToU8('hello') });
    expect(await readModelFile(other, 'other.zip')).toEqual({
      ok: false,
      error: 'Keras .keras (zip): a zip without config.json: not a Keras 3 .keras file.',
    });
  });
});

describe.skipIf(!h5python)('?src= fetches Keras files as bytes', () => {
  it('a .h5 served over http opens like a chosen file; the body is streamed', async () => {
    const body = bytes(writeKerasFile('served.h5', 'h5', keras2Config(model), weights));
    const fake = (async () => new Response(body, { status: 200 })) as typeof fetch;
    const result = ok(await fetchModel('https://example.org/m/served.h5', 'https://app.example/', fake));
    expectSameAsTfjs(result, model);
  });
});

describe('any bytes', () => {
  it('JSON text still reads as before; an HDF5 signature on garbage is a message', async () => {
    const json = new TextEncoder().encode(JSON.stringify(keras2Config(smallCnn())));
    expect((await readModelFile(json, 'm.json')).ok).toBe(true);
    const garbage = new Uint8Array(4096).fill(7);
    garbage.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const result = await readModelFile(garbage, 'bad.h5');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Keras \.h5 \(HDF5\): /);
  });
});
