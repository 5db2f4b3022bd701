import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/engine/analysis/analyze';
import { presetModel } from '../../../src/presets';
import { channelsLastLayers } from '../../../src/train/model/layouts';
import { analyze } from '../../helpers';
import { buildExact, expectActualShapes } from './helpers';
import { tensorOf } from './reference';

/** What a user would notice: the numbers the layers compute, not only their shapes. */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('option A shortcut (He et al. 2015)', () => {
  it('keeps every second position and adds zero channels, half before and half after', () => {
    const model = buildExact(
      analyze([
        { name: 'in', type: 'Input', shape: [5, 6, 3] },
        { name: 'short', type: 'ZeroPadShortcut', filters: 8, strides: 2 },
      ]),
    );
    const x = tensorOf([2, 5, 6, 3], 1);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 3, 8]);
    const xs = x.arraySync() as number[][][][];
    const ys = y.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          // 8 − 3 = 5 zero channels: 2 before, 3 after.
          expect(ys[b]![i]![j]!.slice(0, 2)).toEqual([0, 0]);
          expect(ys[b]![i]![j]!.slice(5)).toEqual([0, 0, 0]);
          expect(ys[b]![i]![j]!.slice(2, 5)).toEqual(xs[b]![2 * i]![2 * j]);
        }
    model.dispose();
  });

  it('is what a ResNet-20 block adds: stage 2’s first block output depends on the subsampled input only', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    const model = buildExact(analysis);
    const shortcut = model.getLayer('stage2_block1/shortcut');
    expect(shortcut.getClassName()).toBe('ConvScopeZeroPadShortcut');
    expect(shortcut.countParams()).toBe(0);
    expect(shortcut.outputShape).toEqual([null, 16, 16, 32]);
    model.dispose();
  });
});

describe('Slice (an ONNX channel split)', () => {
  it('keeps exactly x[:, start:end] of the engine’s axis, the end clamped to the size, in both layouts', () => {
    for (const format of ['channels_first', 'channels_last'] as const) {
      // Channels first: [6, 4, 5]; axis 1 is the channels. Channels last: [4, 5, 6]; axis 3 is.
      const shape = format === 'channels_first' ? [6, 4, 5] : [4, 5, 6];
      const axis = format === 'channels_first' ? 1 : 3;
      const analysis = analyze(
        [
          { name: 'in', type: 'Input', shape },
          { name: 'half', type: 'Slice', axis, start: 2, end: 100 },
        ],
        format,
      );
      const model = buildExact(analysis);
      expectActualShapes(model, analysis);
      const x = tensorOf([2, ...shape], 3);
      const xs = x.arraySync() as number[][][][];
      // A channels-first model reads and gives channels-last batches; its Slice works in the engine's layout.
      const cf = format === 'channels_first';
      const y = model.predict(cf ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor;
      const ys = (cf ? tf.transpose(y, [0, 3, 1, 2]) : y).arraySync() as number[][][][];
      const expected = xs.map((e) =>
        format === 'channels_first' ? e.slice(2) : e.map((row) => row.map((cell) => cell.slice(2))),
      );
      expect([format, ys]).toEqual([format, expected]);
      model.dispose();
    }
  });
});

describe('causal convolution', () => {
  it('output at step t depends on no input after t (the future is perturbed, the past outputs stay)', () => {
    const analysis = analyzeModel(presetModel('causal-dilated'));
    const model = buildExact(analysis);
    const x = tensorOf([1, 64, 1], 1);
    const y = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
    for (const t of [0, 20, 40, 63]) {
      const future = tf.concat(
        [tf.slice(x, [0, 0, 0], [1, t + 1, 1]), tf.add(tf.slice(x, [0, t + 1, 0], [1, 63 - t, 1]), 5)],
        1,
      );
      const changed = (model.predict(future) as tf.Tensor).arraySync() as number[][][];
      for (let s = 0; s <= t; s++)
        expect(changed[0]![s]![0], `output ${s} after changing inputs > ${t}`).toBeCloseTo(y[0]![s]![0]!, 5);
      if (t < 63) expect(changed[0]![t + 1]![0]).not.toBeCloseTo(y[0]![t + 1]![0]!, 5);
    }
    model.dispose();
  });

  it('sees 31 steps back (1 + 2·(1 + 2 + 4 + 8)) and none before: the gradient of the last output', () => {
    const model = buildExact(analyzeModel(presetModel('causal-dilated')), { seed: 3 });
    const x = tensorOf([1, 64, 1], 2);
    const grad = tf.grad((v: tf.Tensor) => tf.slice(model.apply(v) as tf.Tensor, [0, 63, 0], [1, 1, 1]).sum())(x);
    const reached = Array.from(grad.dataSync()).flatMap((g, i) => (g !== 0 ? [i] : []));
    expect(Math.min(...reached)).toBe(63 - 30);
    expect(Math.max(...reached)).toBe(63);
    model.dispose();
  });
});

describe('channels-first models run channels-last inside, with the engine’s semantics', () => {
  it('reads a channels-last batch, and Flatten lays out channels first (C × H × W order, as PyTorch)', () => {
    const model = buildExact(
      analyze(
        [
          { name: 'in', type: 'Input', shape: [2, 3, 4] },
          { name: 'conv', type: 'Conv2D', filters: 2, kernelSize: 1, useBias: false },
          { name: 'flat', type: 'Flatten' },
        ],
        'channels_first',
      ),
    );
    expect(model.inputs[0]!.shape).toEqual([null, 3, 4, 2]);
    expect([...channelsLastLayers(model)]).toEqual(expect.arrayContaining(['in', 'conv']));
    model.getLayer('conv').setWeights([tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2])]);
    const chw = tf.range(0, 24).reshape([1, 2, 3, 4]);
    const y = model.predict(tf.transpose(chw, [0, 2, 3, 1])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(chw.dataSync()));
    model.dispose();
  });

  it('softmax runs over the last axis of the engine’s layout (width), batch norm and concatenation over the channels', () => {
    const analysis = analyze(
      [
        { name: 'in', type: 'Input', shape: [2, 3, 4] },
        { name: 'bn', type: 'BatchNormalization' },
        { name: 'cat', type: 'Concatenate', inputs: ['in', 'bn'] },
        { name: 'soft', type: 'Activation', activation: 'softmax' },
      ],
      'channels_first',
    );
    const model = buildExact(analysis);
    expect(model.getLayer('bn').getWeights()[0]!.shape).toEqual([2]);
    const y = model.predict(tensorOf([1, 3, 4, 2], 4)) as tf.Tensor;
    // Channels-last out: 3 × 4 × 4 channels; summed over width (axis 2) every entry is 1.
    expect(y.shape).toEqual([1, 3, 4, 4]);
    const sums = tf.sum(y, 2).dataSync();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    model.dispose();
  });
});

describe('TimeDistributed', () => {
  it('applies one Dense, with one set of weights, to every step', () => {
    const model = buildExact(
      analyze([
        { name: 'in', type: 'Input', shape: [5, 3] },
        { name: 'td', type: 'TimeDistributed', layer: { type: 'Dense', units: 2 } },
      ]),
    );
    const x = tensorOf([2, 5, 3], 1);
    const y = model.predict(x) as tf.Tensor;
    const [kernel, bias] = model.getLayer('td/layer').getWeights() as [tf.Tensor, tf.Tensor];
    const direct = tf.add(tf.matMul(x.reshape([10, 3]), kernel), bias).reshape([2, 5, 2]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(direct.dataSync()).map((v) => expect.closeTo(v, 5)));
    model.dispose();
  });
});
