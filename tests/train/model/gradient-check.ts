import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Analysis } from '../../../src/engine/analysis/result';
import { buildExact } from './helpers';
import { tensorOf } from './reference';

/**
 * Σ output · g for a fixed g: its gradient is checked against finite differences. Inference
 * mode: batch norm over a batch of two tiny maps is so curved that finite differences say
 * nothing; our layers compute the same in both modes.
 */
function lossOf(model: tf.LayersModel, g: tf.Tensor) {
  return (x: tf.Tensor) => tf.sum(tf.mul(model.apply(x) as tf.Tensor, g)) as tf.Scalar;
}

/** Finite difference of the loss along `direction` for `variable`, step ε, central. */
function numeric(loss: () => tf.Scalar, variable: tf.Variable, direction: tf.Tensor, eps: number): number {
  const original = variable.clone();
  const at = (sign: number) => {
    variable.assign(tf.add(original, tf.mul(direction, sign * eps)));
    return loss().dataSync()[0] as number;
  };
  const slope = (at(1) - at(-1)) / (2 * eps);
  variable.assign(original);
  original.dispose();
  return slope;
}

/** Every trainable tensor's and the input's gradient of Σ output · g equals its finite difference. */
export function expectGradientsMatch(analysis: Analysis, inputShape: number[]) {
  const model = buildExact(analysis, { seed: 5 });
  tf.tidy(() => {
    const x = tf.variable(tensorOf([2, ...inputShape], 1));
    const out = model.apply(x) as tf.Tensor;
    const loss = lossOf(model, tensorOf(out.shape, 2));
    const variables = [x, ...model.trainableWeights.map((w) => w.read() as tf.Variable)];
    const { grads } = tf.variableGrads(() => loss(x), variables);
    variables.forEach((v, k) => {
      const direction = tensorOf(v.shape, 10 + k);
      const analytic = tf.sum(tf.mul(grads[v.name] as tf.Tensor, direction)).dataSync()[0] as number;
      const finite = numeric(() => loss(x), v, direction, 1e-3);
      const label = k === 0 ? 'input' : model.trainableWeights[k - 1]!.originalName;
      expect(Math.abs(analytic - finite), `${label}: ${analytic} vs ${finite}`).toBeLessThan(
        2e-2 * Math.max(1, Math.abs(finite)),
      );
    });
  });
  model.dispose();
}
