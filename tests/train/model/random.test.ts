import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { elementCount } from '../../../src/engine/shape/shape';
import { analyze } from '../../helpers';
import { recipeArb, toProjectLayers } from '../../engine/tfjs-recipes';
import { buildExact, expectActualShapes } from './helpers';
import { exoticArb } from './exotic';

/**
 * Random models: the tfjs model of every one the engine accepts has the engine's shapes and
 * parameters at every layer, and (when small) runs with actual tensors of those shapes.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs the forward pass when every activation is known and small. */
function smallEnough(analysis: ReturnType<typeof analyze>): boolean {
  return analysis.layers.every((l) => {
    const n = l.output ? elementCount(l.output) : null;
    return n !== null && n < 20_000;
  });
}

function check(layers: Record<string, unknown>[], dataFormat?: 'channels_first'): 'built' | 'refused' {
  const analysis = analyze(layers, dataFormat);
  if (!analysis.ok) return 'refused';
  const model = buildExact(analysis);
  try {
    expect(model.countParams()).toBe(analysis.totals.params);
    if (smallEnough(analysis)) expectActualShapes(model, analysis);
  } finally {
    model.dispose();
  }
  return 'built';
}

describe('random models (tests/engine/tfjs-recipes.ts) the engine accepts', () => {
  it('2-D stacks and graphs', () => {
    const outcomes = { built: 0, refused: 0 };
    fc.assert(
      fc.property(recipeArb(2), (recipe) => {
        outcomes[check(toProjectLayers(recipe))]++;
      }),
      { numRuns: 150, seed: 20261126 },
    );
    expect(outcomes.built).toBeGreaterThan(60);
  });

  it('1-D stacks', () => {
    const outcomes = { built: 0, refused: 0 };
    fc.assert(
      fc.property(recipeArb(1), (recipe) => {
        outcomes[check(toProjectLayers(recipe))]++;
      }),
      { numRuns: 100, seed: 7 },
    );
    expect(outcomes.built).toBeGreaterThan(40);
  });
});

describe('random models with what tfjs-layers lacks (causal, groups, stride with dilation, PyTorch padding, ceil mode, blocks, channels first)', () => {
  for (const dataFormat of ['channels_last', 'channels_first'] as const) {
    it(dataFormat, () => {
      const outcomes = { built: 0, refused: 0 };
      fc.assert(
        fc.property(exoticArb(dataFormat), (layers) => {
          outcomes[check(layers, dataFormat === 'channels_first' ? dataFormat : undefined)]++;
        }),
        { numRuns: 150, seed: dataFormat === 'channels_last' ? 11 : 12 },
      );
      expect(outcomes.built).toBeGreaterThan(120);
    });
  }
});
