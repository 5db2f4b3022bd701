import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { trainingMemory } from '../../src/engine/analysis/memory';
import {
  batchLimit,
  largestBatch,
  largestTensor,
  memoryRefusal,
  scaledLearningRate,
  STEP_OVERHEAD,
  stepBytes,
  stepMemory,
  suggestBatchSize,
  type BatchLimits,
} from '../../src/train/batch-size';
import { suggestedRecipe } from '../../src/train/run-checks';
import { measuredBytesPerExample } from './step-memory';
import { analyze } from '../helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const numel = (shape: readonly (number | null)[]) => shape.slice(1).reduce<number>((a, b) => a * (b ?? NaN), 1);

/**
 * He et al.'s ResNet-20 with projection shortcuts (option B), built from tfjs-layers' own layers
 * (the oracle): conv-bn-relu, nine basic blocks, pooling, dense.
 */
function tfResnet20(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  let x = relu(bn(conv(input, 16, 3)));
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < 3; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      const y = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3));
      const shortcut = strides === 1 ? x : bn(conv(x, filters, 1, strides));
      x = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor);
    }
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** What tfjs says a step holds per example, and once: floats and bytes. */
function oracle(model: tf.LayersModel, slots: number) {
  let outputs = 0;
  let largest = 0;
  for (const layer of model.layers) {
    const out = numel(layer.outputShape as number[]);
    largest = Math.max(largest, out);
    if (layer.getClassName() === 'InputLayer') continue;
    outputs += out;
    if (layer.getClassName() === 'Conv2D') {
      // im2col: one row per output position, kh·kw·ci taps.
      const [kh, kw, ci] = layer.getWeights()[0]!.shape as number[];
      const [, oh, ow] = layer.outputShape as number[];
      largest = Math.max(largest, oh! * ow! * kh! * kw! * ci!);
    }
  }
  const all = model.countParams();
  const trainable = model.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return {
    activationBytes: Math.ceil(outputs * 4 * 2 * STEP_OVERHEAD),
    largestBytes: largest * 4,
    fixedBytes: (all + trainable * (1 + slots)) * 4,
  };
}

/** Every batch 1…512 tried against the limits; the largest power of two that fits. */
function bruteForce(o: ReturnType<typeof oracle>, limits: BatchLimits): number {
  const perTensor = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  let best = 0;
  for (let b = 1; b <= 512; b *= 2)
    if (b * o.largestBytes <= perTensor && o.fixedBytes + b * o.activationBytes <= limits.budget) best = b;
  return best;
}

describe('batch-size suggestion', () => {
  it('a hand-checked tiny model: patches 8·8·9·1 floats per image bind at 100 images, memory at 40', () => {
    const analysis = analyze([
      { type: 'Input', shape: [8, 8, 1] },
      { name: 'conv', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { type: 'Flatten' },
      { type: 'Dense', units: 10 },
    ]);
    // The conv's patch matrix, 8·8 positions × 3·3 taps × 1 channel = 576 floats, beats its output (256).
    expect(largestTensor(analysis)).toEqual({ layer: 'conv', kind: 'patches', bytes: 576 * 4 });
    // Outputs 8·8·4 + 256 + 10 = 522 floats kept and their gradients (and tfjs' temporaries);
    // 2,610 weights × 3 (SGD).
    const perImage = Math.ceil(522 * 8 * STEP_OVERHEAD);
    const fixed = 2610 * 12;
    const roomy = { maxStorageBufferBindingSize: 2304 * 100, maxBufferSize: GiB, budget: GiB };
    expect(suggestBatchSize(analysis, roomy, 'sgd')).toMatchObject({ ok: true, batchSize: 64, bound: 'binding' });
    const tight = { ...roomy, budget: fixed + perImage * 40 };
    expect(suggestBatchSize(analysis, tight, 'sgd')).toMatchObject({
      ok: true,
      batchSize: 32,
      bound: 'memory',
      stepBytes: fixed + perImage * 32,
      perExample: perImage,
      fixed,
    });
    // maxBufferSize limits a tensor too.
    const smallBuffers = { ...roomy, maxBufferSize: 2304 * 9 };
    expect(suggestBatchSize(analysis, smallBuffers, 'sgd')).toMatchObject({ batchSize: 8, bound: 'binding' });
    expect(suggestBatchSize(analysis, { ...roomy, maxStorageBufferBindingSize: 2 ** 40 }, 'sgd')).toMatchObject({
      batchSize: 512,
      bound: 'cap',
    });
    // Adam's second moment: one more copy of the weights no longer fits a budget made for SGD's.
    const exact = { ...roomy, budget: fixed + perImage };
    expect(suggestBatchSize(analysis, exact, 'sgd')).toMatchObject({ ok: true, batchSize: 1 });
    expect(suggestBatchSize(analysis, exact, 'adam').ok).toBe(false);
  });

  it('ResNet-20 matches tfjs-layers’ own model: outputs, the largest tensor, and brute force over limits', () => {
    const analysis = analyzeModel(presetModel('resnet20-b'));
    const model = tfResnet20();
    const o = oracle(model, 1);
    // The first stage's 3×3 convolutions of 16 channels: 32·32 × 9·16 floats per image.
    expect(o.largestBytes).toBe(32 * 32 * 9 * 16 * 4);
    expect(largestTensor(analysis)).toEqual({ layer: 'stage1_block1/conv1', kind: 'patches', bytes: o.largestBytes });
    // WebGPU's default 128 MiB binding fits 227 images of patches: 128, the binding bound.
    const standard = { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB, budget: 8 * GiB };
    const s = suggestBatchSize(analysis, standard, 'sgd');
    expect(s).toMatchObject({ ok: true, batchSize: 128, bound: 'binding', perTensor: 128 * MiB });
    expect(s.ok && s.stepBytes).toBe(o.fixedBytes + 128 * o.activationBytes);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 32 }),
        (binding, buffer, budget) => {
          const limits = { maxStorageBufferBindingSize: binding, maxBufferSize: buffer, budget };
          const got = suggestBatchSize(analysis, limits, 'sgd');
          expect(got.ok ? got.batchSize : 0).toBe(bruteForce(o, limits));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('bounds what tfjs really holds: tf.profile’s peak bytes of a training step grow by less per example', async () => {
    for (const id of ['resnet20-a', 'lenet5']) {
      const analysis = analyzeModel(presetModel(id));
      const measured = await measuredBytesPerExample(analysis, 1, 2);
      const limits = { maxStorageBufferBindingSize: GiB, maxBufferSize: GiB, budget: GiB };
      const s = suggestBatchSize(analysis, limits, 'sgd');
      if (!s.ok) throw new Error(id);
      expect(s.perExample, id).toBeGreaterThanOrEqual(measured);
      expect(s.perExample, id).toBeLessThan(measured * 1.5);
    }
  }, 120_000);

  it('a larger model gets a smaller batch under the same limits', () => {
    const limits = { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB, budget: 2 * GiB };
    const resnet = suggestBatchSize(analyzeModel(presetModel('resnet20-a')), limits, 'sgd');
    const vgg = suggestBatchSize(analyzeModel(presetModel('vgg16')), limits, 'sgd');
    expect(resnet.ok && vgg.ok).toBe(true);
    if (!resnet.ok || !vgg.ok) return;
    expect(vgg.batchSize).toBeLessThan(resnet.batchSize);
    // 224×224 images: VGG16's first patches are 224·224·9·64 floats (115.6 MB): one image per binding.
    expect(vgg.largest).toMatchObject({ kind: 'patches', bytes: 224 * 224 * 9 * 64 * 4 });
    expect(vgg.batchSize).toBe(1);
  });

  it('says why no batch fits, and has no answer while a size is open', () => {
    const analysis = analyze([
      { type: 'Input', shape: [64, 64, 3] },
      { name: 'wide', type: 'Conv2D', filters: 8, kernelSize: 3 },
    ]);
    const tiny = { maxStorageBufferBindingSize: 1024, maxBufferSize: GiB, budget: GiB };
    expect(suggestBatchSize(analysis, tiny, 'sgd')).toEqual({
      ok: false,
      why: expect.stringContaining('patch matrix in wide is larger than one GPU buffer'),
    });
    const open = analyze([
      { type: 'Input', shape: [null, null, 3] },
      { type: 'Conv2D', filters: 4, kernelSize: 3 },
    ]);
    expect(suggestBatchSize(open, tiny, 'sgd')).toEqual({ ok: false, why: null });
  });

  it('scales the learning rate linearly for SGD and by the square root for Adam', () => {
    expect(scaledLearningRate(0.2, 64, 128, 'sgd')).toBe(0.4);
    expect(scaledLearningRate(0.2, 64, 16, 'sgd')).toBe(0.05);
    expect(scaledLearningRate(0.003, 64, 256, 'adam')).toBe(0.006);
    expect(scaledLearningRate(0.1, 64, 64, 'sgd')).toBe(0.1);
  });
});

/** The budgets memoryBudget() gives: 1.5 GB where the browser hides the device's memory, 2 GB at most. */
const TAB_BUDGETS = [1.5 * GiB, 2 * GiB];

describe('the largest batch a run may use: one rule for the worker, the plan and the suggestion', () => {
  it('a step fits at largestBatch and not one example more; the worker refuses exactly past it', () => {
    const memory = stepMemory(analyzeModel(presetModel('resnet20-a')), 'sgd')!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 33 }), (budget) => {
        const most = largestBatch(memory, budget);
        if (most >= 1) expect(stepBytes(memory, most)).toBeLessThanOrEqual(budget);
        expect(stepBytes(memory, most + 1)).toBeGreaterThan(budget);
        if (most >= 1) expect(memoryRefusal(memory, most, budget)).toBeNull();
        expect(memoryRefusal(memory, most + 1, budget)).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('the worker’s step memory is trainingMemory with its per-example part × STEP_OVERHEAD (the tf.profile factor)', () => {
    const analysis = analyzeModel(presetModel('lenet5'));
    for (const [optimizer, slots] of [
      ['sgd', 1],
      ['adam', 2],
    ] as const) {
      const at1 = trainingMemory(analysis, 1, slots)!;
      const at64 = trainingMemory(analysis, 64, slots)!;
      const memory = stepMemory(analysis, optimizer)!;
      expect(memory.fixed).toBe(at64.total - at64.activations);
      // Weights, their gradients and the optimizer's slots: (1 + 1 + slots) floats per trainable weight.
      expect(memory.fixed).toBe(analysis.totals.params * 4 + analysis.totals.trainableParams * 4 * (1 + slots));
      expect(memory.perExample).toBe(Math.ceil(at1.activations * STEP_OVERHEAD));
      expect(stepBytes(memory, 64)).toBeGreaterThan(at64.total * 2.5);
    }
  });

  it('ResNet-50 (224×224): batch 64 is refused with the batch that fits, which the suggestion names too', () => {
    const analysis = analyzeModel(presetModel('resnet50'));
    const memory = stepMemory(analysis, 'sgd')!;
    // One image's outputs and gradients alone are ≈ 280 MB before tfjs' temporaries.
    expect(memory.perExample).toBeGreaterThan(800 * MiB);
    const roomy = { maxStorageBufferBindingSize: 2 ** 40, maxBufferSize: 2 ** 40 };
    for (const budget of TAB_BUDGETS) {
      const most = largestBatch(memory, budget);
      expect(most).toBe(1);
      expect(batchLimit(analysis, 'sgd', budget, null)).toBe(most);
      expect(memoryRefusal(memory, 64, budget)).toMatch(
        /^This run needs about [\d.]+ GB \(activations [\d.]+ GB for a batch of 64, weights, gradients and optimizer [\d.]+ MB\); the limit here is [\d.]+ GB\. Try a batch of 1 or fewer\.$/,
      );
      expect(memoryRefusal(memory, 1, budget)).toBeNull();
      expect(suggestBatchSize(analysis, { ...roomy, budget }, 'sgd')).toMatchObject({ batchSize: 1, bound: 'memory' });
    }
    // A smaller tab: not even one image; the message says so instead of naming a batch.
    expect(largestBatch(memory, GiB)).toBe(0);
    expect(memoryRefusal(memory, 1, GiB)).toMatch(/Not even one image a step fits: one image takes [\d.]+ MB\./);
    expect(batchLimit(analysis, 'sgd', GiB, null)).toBe(0);
  });

  it('on WebGPU the buffers bound it too: never above what one binding holds, nor the memory bound', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 2 ** 32 }), (binding, budget) => {
        const gpu = { maxStorageBufferBindingSize: binding, maxBufferSize: 2 ** 31 };
        const most = batchLimit(analysis, 'sgd', budget, gpu)!;
        expect(most).toBeLessThanOrEqual(batchLimit(analysis, 'sgd', budget, null)!);
        expect(most * largestTensor(analysis)!.bytes).toBeLessThanOrEqual(binding);
        const s = suggestBatchSize(analysis, { ...gpu, budget }, 'sgd');
        // The suggestion is the largest power of two within it (up to the cap).
        expect(s.ok ? s.batchSize : 0).toBe(most < 1 ? 0 : 2 ** Math.floor(Math.log2(Math.min(most, 512))));
      }),
      { numRuns: 300 },
    );
  });

  it('the presets that train on 32×32 or smaller images still start at the default batch (64) in a tab’s budget', () => {
    for (const id of ['resnet20-a', 'resnet20-b', 'mnist', 'lenet5', 'two-channel', 'causal-dilated']) {
      const analysis = analyzeModel(presetModel(id));
      const { optimizer } = suggestedRecipe(analysis).recipe;
      for (const budget of TAB_BUDGETS)
        expect(memoryRefusal(stepMemory(analysis, optimizer)!, 64, budget), id).toBeNull();
    }
  });
});
