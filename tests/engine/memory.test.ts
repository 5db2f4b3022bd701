import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { trainingMemory } from '../../src/engine/analysis/memory';
import { presetModel } from '../../src/presets';
import { analyze } from '../helpers';

describe('training memory estimate', () => {
  it('counts weights, gradients, optimizer slots and every activation for the batch', () => {
    const analysis = analyze([
      { type: 'Input', shape: [8, 8, 1] },
      { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { type: 'Flatten' },
      { type: 'Dense', units: 10 },
    ]);
    // Outputs per example: 8·8·4 + 256 + 10 = 522 floats; 40 + 2,570 = 2,610 parameters.
    const sgd = trainingMemory(analysis, 16, 1)!;
    expect(sgd.activations).toBe(522 * 16 * 4 * 2);
    expect(sgd.weights).toBe(2610 * 4);
    expect(sgd.gradients).toBe(2610 * 4);
    expect(sgd.optimizer).toBe(2610 * 4);
    expect(trainingMemory(analysis, 16, 2)!.optimizer).toBe(2610 * 8);
    expect(sgd.total).toBe(sgd.activations + 3 * 2610 * 4);
  });

  it('looks inside blocks: a ResNet block keeps each of its layers’ outputs, not only its own', () => {
    const analysis = analyzeModel(presetModel('resnet20-a'));
    const memory = trainingMemory(analysis, 1, 1)!;
    const outputsOnly = analysis.layers.filter((l) => l.type !== 'Input').reduce((n, l) => n + l.activationSize!, 0);
    expect(memory.activations / 8).toBeGreaterThan(outputsOnly * 3);
    // Grows linearly with the batch.
    expect(trainingMemory(analysis, 128, 1)!.activations).toBe(memory.activations * 128);
  });

  it('is unknown while a size is open', () => {
    const analysis = analyze([
      { type: 'Input', shape: [null, null, 3] },
      { type: 'Conv2D', filters: 4, kernelSize: 3 },
    ]);
    expect(trainingMemory(analysis, 8, 1)).toBeNull();
  });
});
