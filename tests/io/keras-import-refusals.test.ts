import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { exportModel } from '../../src/io/export';
import { readModelText } from '../../src/io/read-model';
import { runCli } from '../../src/cli/run';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tf.keras 2.x functional model whose ReLU was a raw TensorFlow op (tf.nn.relu on a Keras tensor). */
const tfOpLayerModel = {
  class_name: 'Functional',
  config: {
    name: 'model',
    layers: [
      {
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 8, 8, 3], dtype: 'float32', name: 'input_1' },
        name: 'input_1',
        inbound_nodes: [],
      },
      {
        class_name: 'Conv2D',
        config: { name: 'conv2d', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'valid' },
        name: 'conv2d',
        inbound_nodes: [[['input_1', 0, 0, {}]]],
      },
      {
        class_name: 'TensorFlowOpLayer',
        config: {
          name: 'Relu',
          trainable: true,
          dtype: 'float32',
          node_def: { name: 'Relu', op: 'Relu', input: ['conv2d/BiasAdd'], attr: { T: { type: 'DT_FLOAT' } } },
          constants: {},
        },
        name: 'tf_op_layer_Relu',
        inbound_nodes: [[['conv2d', 0, 0, {}]]],
      },
      {
        class_name: 'Flatten',
        config: { name: 'flatten' },
        name: 'flatten',
        inbound_nodes: [[['tf_op_layer_Relu', 0, 0, {}]]],
      },
    ],
    input_layers: [['input_1', 0, 0]],
    output_layers: [['flatten', 0, 0]],
  },
};

describe('functional wiring uses the layer entry’s name, as inbound_nodes do', () => {
  it('a TensorFlowOpLayer (entry tf_op_layer_Relu, config Relu) is wired and shown by its entry name', () => {
    const read = readModelText(JSON.stringify(tfOpLayerModel));
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    expect(analysis.layers.map((l) => l.name)).toEqual(['input_1', 'conv2d', 'tf_op_layer_Relu', 'flatten']);
    expect(analysis.layers.find((l) => l.name === 'flatten')?.inputs).toEqual(['tf_op_layer_Relu']);
    expect(analysis.layers.find((l) => l.name === 'tf_op_layer_Relu')?.inputs).toEqual(['conv2d']);
    expect(analysis.diagnostics.filter((d) => d.code === 'missing-input' || d.code === 'duplicate-name')).toEqual([]);
    expect(analysis.diagnostics.every((d) => d.layer === 'tf_op_layer_Relu')).toBe(true);
  });
});

/** What a model.json of tensorflowjs_converter --output_format=tfjs_graph_model looks like. */
const graphModel = {
  format: 'graph-model',
  generatedBy: '2.12.0',
  convertedBy: 'TensorFlow.js Converter v4.4.0',
  signature: {},
  modelTopology: {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } },
      { name: 'StatefulPartitionedCall/model/dense/MatMul', op: 'MatMul', input: ['x', 'w'] },
    ],
    library: {},
    versions: { producer: 1286 },
  },
  weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [4, 2], dtype: 'float32' }] }],
};

async function savedArtifacts(model: tf.LayersModel): Promise<Record<string, unknown>> {
  let saved: Record<string, unknown> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [], weights: artifacts.weightSpecs }],
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved;
}

describe('model.json files without Keras layers are refused with their real cause', () => {
  it('a TensorFlow.js graph model is named as one, with what to do', () => {
    const read = readModelText(JSON.stringify(graphModel));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toContain('TensorFlow.js graph model');
    expect(read.error).toContain('tfjs_layers_model');
    expect(read.error).not.toContain('lacks');
  });

  it('a model.json with modelTopology: null holds weights but no architecture', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    const saved = await savedArtifacts(model);
    expect(readModelText(JSON.stringify(saved)).ok).toBe(true);
    const read = readModelText(JSON.stringify({ ...saved, modelTopology: null }));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain('weights but no architecture');
  });

  it.each([
    ['graph model', graphModel, 'graph model'],
    ['weights only', { modelTopology: null, weightsManifest: [] }, 'weights but no architecture'],
    ['Keras model with no layers', { class_name: 'Sequential', config: { name: 's', layers: [] } }, 'no layers'],
  ])('the CLI refuses a %s with exit 2 and the cause', async (_name, content, message) => {
    const path = join(mkdtempSync(join(tmpdir(), 'convscope-refuse-')), 'model.json');
    writeFileSync(path, JSON.stringify(content));
    let stderr = '';
    const code = await runCli(['summary', path], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('a fixed batch size', () => {
  const fixedBatchModel = () => {
    const input = tf.input({ batchShape: [1, 48, 48, 1], name: 'image' });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }).apply(input) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: conv, name: 'fixed' });
  };

  it('is kept, said at the Input layer, and written back by the Keras exports', async () => {
    const source = fixedBatchModel();
    const read = readModelText(JSON.stringify(source.toJSON(null, false)));
    if (!read.ok) throw new Error(read.error);
    const analysis = analyzeModel(read.model);
    expect(analysis.ok).toBe(true);
    const note = analysis.diagnostics.find((d) => d.code === 'fixed-batch');
    expect(note?.layer).toBe('image');
    expect(diagnosticText(note!, 'channels_last', 'keras')).toContain('batch size at 1');
    expect(analysis.layers.find((l) => l.name === 'conv')?.output).toEqual(source.outputs[0]!.shape.slice(1));

    const json = exportModel(analysis, 'keras-json');
    if (!json.ok) throw new Error('export failed');
    const back = await tf.models.modelFromJSON({ modelTopology: JSON.parse(json.value) as never });
    expect(back.inputs[0]?.shape).toEqual([1, 48, 48, 1]);
    const python = exportModel(analysis, 'keras');
    expect(python.ok && python.value).toContain('batch_size=1');
  });

  it('a free batch (None) gives no note', () => {
    const input = tf.input({ shape: [8], name: 'x' });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const read = readModelText(JSON.stringify(model.toJSON(null, false)));
    if (!read.ok) throw new Error(read.error);
    expect(analyzeModel(read.model).diagnostics).toEqual([]);
  });
});
