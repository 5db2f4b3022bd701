import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';

/**
 * `convscope summary --json` on model files taken from public repositories (tests/fixtures/real,
 * sources and licences in its README), checked against TensorFlow.js' own reading of the same JSON
 * and against the weights the file's own `weightsManifest` lists (what its converter wrote).
 */

const fixture = (name: string) => join(__dirname, '../fixtures/real', name);

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

interface Layer {
  name: string;
  type: string;
  outputShape: (number | null)[];
  params: number;
}
interface Summary {
  layers: Layer[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  complete?: boolean;
  diagnostics: unknown[];
}

const size = (shape: readonly (number | null)[]) => shape.reduce((a: number, b) => a * (b ?? 1), 1);
const sizes = (weights: readonly { shape: readonly (number | null)[] }[]) =>
  weights.reduce((n, w) => n + size(w.shape), 0);

/** The weights the converter wrote into the file's manifest: all of them, and Keras' non-trainable ones. */
function manifest(file: string) {
  const { weightsManifest } = JSON.parse(readFileSync(file, 'utf8')) as {
    weightsManifest: { weights: { name: string; shape: number[] }[] }[];
  };
  const weights = weightsManifest.flatMap((group) => group.weights);
  const frozen = weights.filter((w) => /\/moving_(mean|variance)$/.test(w.name));
  return { total: sizes(weights), nonTrainable: sizes(frozen) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const files = [
  // tfjs-examples abalone-node: a Sequential MLP saved by tfjs-layers 1.2.9 (bare list config).
  'tfjs-examples-abalone.json',
  // ml5's CREPE pitch detector (Keras 2.1.5 functional CNN, batch norm: non-trainable statistics).
  'ml5-crepe-pitch.json',
  // ml5's conditional VAE decoder: two inputs, Concatenate, Conv2DTranspose, UpSampling2D.
  'ml5-cvae-quickdraw-decoder.json',
  // ml5's DCGAN generator, Keras 2.2.2 channels-first: BatchNormalization on axis 1 after a Dense
  // and after each Conv2DTranspose, Reshape to (512, 4, 4).
  'ml5-dcgan-generator.json',
  // ml5's saved image classifier (the Teachable Machine layout): a Sequential holding a truncated
  // MobileNet 0.25 functional model, a Flatten and a nested Sequential head, both nested models
  // written in tfjs-layers 1.x's bare-list form.
  'ml5-image-classifier-mobilenet.json',
  // tfjs-layers' own tfjs→Keras integration test data (tfjs-layers 1.1.0): Embedding, an LSTM
  // returning sequences and TimeDistributed(Dense) without bias; and Embedding then a
  // Bidirectional LSTM running backwards, its halves concatenated.
  'tfjs-layers-time-distributed-lstm.json',
  'tfjs-layers-bidirectional-lstm.json',
];

describe('convscope summary --json on real model files', () => {
  it.each(files)('%s: totals, trainable split and every layer equal TensorFlow.js', async (name) => {
    const path = fixture(name);
    const { code, stdout, stderr } = await cli('summary', path, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.diagnostics).toEqual([]);
    expect(summary.complete).not.toBe(false);

    const { modelTopology } = JSON.parse(readFileSync(path, 'utf8')) as { modelTopology: never };
    const model = await tf.models.modelFromJSON({ modelTopology });
    expect(summary).toMatchObject({
      totalParams: model.countParams(),
      trainableParams: sizes(model.trainableWeights),
      nonTrainableParams: sizes(model.nonTrainableWeights),
    });
    // The file's own weights manifest: what was actually trained and saved.
    const saved = manifest(path);
    expect(summary.totalParams).toBe(saved.total);
    expect(summary.nonTrainableParams).toBe(saved.nonTrainable);

    // Layer by layer (input layers aside: tfjs lists a Sequential's only implicitly).
    const ours = summary.layers.filter((l) => l.type !== 'InputLayer');
    const theirs = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    expect(ours.map((l) => [l.outputShape, l.params])).toEqual(theirs.map((l) => [l.outputShape, l.countParams()]));
    const output = model.outputs[0]?.shape;
    expect(ours.at(-1)?.outputShape).toEqual(output);
    model.dispose();
  });

  it('the ml5 image classifier shows its MobileNet base and its head as nested models with their own counts', async () => {
    const { stdout } = await cli('summary', fixture('ml5-image-classifier-mobilenet.json'), '--json');
    const summary = JSON.parse(stdout) as Summary;
    // MobileNet 0.25 at 224×224 ends at 7×7×256 (Howard et al. 2017, Table 1 with α = 0.25); the
    // Flatten therefore gives 12,544 features, the input size the head's Dense layer was saved with.
    expect(summary.layers.map((l) => [l.type, l.outputShape])).toEqual([
      ['InputLayer', [null, 224, 224, 3]],
      ['Model', [null, 7, 7, 256]],
      ['Flatten', [null, 12_544]],
      ['Sequential', [null, 2]],
    ]);
    // Head: Dense(100) on 12,544 features with bias, then Dense(2) without (use_bias: false).
    expect(summary.layers[3]?.params).toBe(12_544 * 100 + 100 + 100 * 2);
  });
});

describe('convscope summary refuses real files that hold no layers, naming the cause', () => {
  it('a TensorFlow.js graph model (tfjs-examples, converter 3.6.0): exit 2, says it is a graph and what to do', async () => {
    const { code, stdout, stderr } = await cli('summary', fixture('tfjs-examples-prefetch-graph-model.json'), '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/graph model/);
    expect(stderr).toMatch(/not Keras layers/);
    expect(stderr).toMatch(/tfjs_layers_model|model\.to_json\(\)/);
    expect(stderr).not.toMatch(/modelTopology" is missing|no input shape|\n\s+at /);
  });

  it('a weights-only model.json (the real abalone file with its architecture removed): exit 2, says there are weights but no architecture', async () => {
    // No public weights-only model.json was found; this is the real file's own weights manifest
    // with "modelTopology": null, as TensorFlow.js writes when a save handler is given no topology.
    const real = JSON.parse(readFileSync(fixture('tfjs-examples-abalone.json'), 'utf8')) as Record<string, unknown>;
    const path = join(mkdtempSync(join(tmpdir(), 'convscope-real-')), 'model.json');
    writeFileSync(path, JSON.stringify({ ...real, modelTopology: null }));
    const { code, stdout, stderr } = await cli('summary', path, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/weights but no architecture/);
    expect(stderr).not.toMatch(/not a model file|\n\s+at /);
  });
});
