import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { importKeras } from '../../src/io/keras/import';
import { analyze } from '../helpers';
import { buildTfjs, recipeArb, type Recipe } from './tfjs-recipes';

/**
 * Oracle: tfjs-layers (the TensorFlow.js port of Keras) infers shapes and counts parameters
 * for random models; the engine must agree exactly, both on the project file and on the Keras
 * JSON that tfjs itself writes (`model.toJSON()`). Where tfjs refuses a model, the engine must
 * report an error at the same layer.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectSameAsTfjs(analysis: Analysis, model: tf.LayersModel, label: string) {
  for (const layer of model.layers) {
    const ours = analysis.layers.find((l) => l.name === layer.name);
    expect(ours, `${label}: layer ${layer.name}`).toBeDefined();
    expect([null, ...(ours!.output ?? [])], `${label}: ${layer.name} output shape`).toEqual(layer.outputShape);
    expect(ours!.params, `${label}: ${layer.name} parameters`).toBe(layer.countParams());
  }
  expect(analysis.totals.params, `${label}: total parameters`).toBe(model.countParams());
}

function check(recipe: Recipe) {
  const tfjs = buildTfjs(recipe);
  const ours = analyze(tfjs.layers);
  const firstError = ours.diagnostics.find((d) => d.severity === 'error');
  if (tfjs.failedAt) {
    if (tfjs.failedAt === 'flat' && tfjs.error?.includes('not fully defined')) {
      // tfjs refuses Flatten of an open size; Keras (and the engine) refuse the Dense after it.
      expect(firstError).toMatchObject({ layer: 'out', code: 'dense-unknown-input' });
      return 'refused';
    }
    expect(firstError?.layer, `tfjs refused '${tfjs.failedAt}' (${tfjs.error ?? 'size ≤ 0'})`).toBe(tfjs.failedAt);
    return 'refused';
  }
  expect(firstError, 'tfjs built this model').toBeUndefined();
  const model = tfjs.built!.model;
  expectSameAsTfjs(ours, model, 'project file');
  // tfjs 4.22's SeparableConv2D.getConfig() drops depth_multiplier: its JSON cannot say it.
  if (recipe.steps.some((s) => s.kind === 'separable' && s.multiplier > 1)) return 'built';
  const imported = importKeras(model.toJSON(null, false));
  expect(imported.ok).toBe(true);
  if (imported.ok) expectSameAsTfjs(analyzeModel(imported.model), model, 'tfjs toJSON → Keras import');
  return 'built';
}

describe('engine ≡ tfjs-layers on random models', () => {
  it('2-D stacks and graphs (conv, depthwise, separable, transposed, pooling, padding, cropping, upsampling, residual Add, Concatenate, heads)', () => {
    const outcomes = { built: 0, refused: 0 };
    fc.assert(
      fc.property(recipeArb(2), (recipe) => {
        outcomes[check(recipe)]++;
      }),
      { numRuns: 1000, seed: 20261126 },
    );
    // Both kinds of outcome were exercised.
    expect(outcomes.built).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(20);
  });

  it('1-D stacks (Conv1D with dilation, pooling, TimeDistributed(Dense), Permute, Dense per step)', () => {
    const outcomes = { built: 0, refused: 0 };
    fc.assert(
      fc.property(recipeArb(1), (recipe) => {
        outcomes[check(recipe)]++;
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(outcomes.built).toBeGreaterThan(100);
  });
});
