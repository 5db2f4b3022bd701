import { describe, expect, it } from 'vitest';
import { fittingDataset } from '../../src/engine/analysis/data-fit';
import { presetModel, presets } from '../../src/presets';
import { analyze } from '../helpers';

const modelOf = (layers: Record<string, unknown>[], format?: 'channels_last' | 'channels_first') =>
  analyze(layers, format).model;

describe('the data set a model fits (Train tab and training script)', () => {
  it('every preset: MNIST for the 28×28×1 one, CIFAR-10 for the ResNets, synthetic for the rest', () => {
    const fits = Object.fromEntries(presets.map((p) => [p.id, fittingDataset(presetModel(p.id))]));
    expect(fits['mnist']).toBe('mnist');
    for (const p of presets.filter((x) => x.section === 'CIFAR-10 ResNets')) expect(fits[p.id], p.id).toBe('cifar10');
    // LeNet-5 takes 32×32×1, the Keras Applications 224×224×3, the teaching sets other sizes.
    for (const id of ['lenet5', 'alexnet', 'vgg16', 'resnet50', 'mobilenet', 'fcn', 'two-channel', 'causal-dilated'])
      expect(fits[id], id).toBe('synthetic');
  });

  it('reads the input in the model’s layout: 1×28×28 channels first is MNIST, 28×28×3 is not', () => {
    const input = (shape: (number | null)[]) => [{ name: 'in', type: 'Input', shape }, { type: 'Flatten' }];
    expect(fittingDataset(modelOf(input([1, 28, 28]), 'channels_first'))).toBe('mnist');
    expect(fittingDataset(modelOf(input([3, 32, 32]), 'channels_first'))).toBe('cifar10');
    expect(fittingDataset(modelOf(input([28, 28, 1]), 'channels_first'))).toBe('synthetic');
    expect(fittingDataset(modelOf(input([28, 28, 3])))).toBe('synthetic');
    expect(fittingDataset(modelOf(input([null, null, 3])))).toBe('synthetic');
  });

  it('a model with two inputs fits no single image set', () => {
    const two = modelOf([
      { name: 'a', type: 'Input', shape: [28, 28, 1] },
      { name: 'b', type: 'Input', shape: [28, 28, 1] },
      { name: 'sum', type: 'Add', inputs: ['a', 'b'] },
    ]);
    expect(fittingDataset(two)).toBe('synthetic');
  });
});
