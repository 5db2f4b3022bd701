import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CORRECT, CROSS_ENTROPY, CROSS_ENTROPY_GRAD, correct, crossEntropy } from '../../../src/train/loop/loss';
import { SOFTMAX_GRAD } from '../../../src/train/backend/softmax-gradient';
import { expectMatchesCpu, randomValues } from './compare';
import { startWebGpu } from './webgpu-setup';

/**
 * The training loss on 'webgpu' (Dawn on SwiftShader in Node): cross-entropy with label smoothing,
 * its gradient and the count of correct predictions as kernels of ours, against the composite ops
 * on the CPU backend (tf.oneHot, tf.logSoftmax, tf.argMax…), on random batches and class counts.
 */
const adapter = await startWebGpu('WebGPU loss checks');

interface Case {
  readonly rows: number;
  readonly classes: number;
  readonly smoothing: number;
  /** Logits' spread: large ones check the log-softmax's shift. */
  readonly scale: number;
  readonly seed: number;
  /** Labels outside [0, classes) in some rows (tf.oneHot gives them no one-hot part). */
  readonly outside?: boolean;
  /** Rows of equal logits (argmax: the first). */
  readonly ties?: boolean;
  /** The model ends in softmax: the loss reads probabilities, log(max(p, 1e-7)). */
  readonly softmax?: boolean;
}

function batch(c: Case): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const values = randomValues(c.rows * c.classes, c.seed).map((v) => v * c.scale);
  if (c.ties) for (let r = 0; r < c.rows; r += 2) values.fill(0.5, r * c.classes, (r + 1) * c.classes);
  const labels = Int32Array.from(randomValues(c.rows, c.seed + 1), (v, r) => {
    if (c.outside && r % 3 === 0) return r % 2 ? -1 : c.classes;
    // A tied row counts as correct only when its label is the first class.
    if (c.ties && r % 2 === 0) return r % 4 === 0 ? 0 : c.classes - 1;
    return Math.floor(((v + 1) / 2) * c.classes);
  });
  return { x: tf.tensor2d(values, [c.rows, c.classes]), labels: tf.tensor1d(labels, 'int32') };
}

/** The loss, its gradient under a random upstream factor, and the correct predictions. */
const lossCall = (c: Case) => () => {
  const { x, labels } = batch(c);
  const factor = tf.scalar(1.5 + randomValues(1, c.seed + 2)[0]!);
  const output = (logits: tf.Tensor) => (c.softmax ? tf.softmax(logits) : logits) as tf.Tensor2D;
  const { value, grads } = tf.valueAndGrads((logits: tf.Tensor) =>
    tf.mul(crossEntropy(output(logits), labels, c.smoothing, c.softmax ?? false), factor),
  )([x]);
  return [value, ...grads, correct(output(x), labels)];
};

const NAMES = 'loss, dx, correct';

/** The kernels one loss call runs on WebGPU. */
async function kernelsOf(c: Case): Promise<string[]> {
  await tf.setBackend('webgpu');
  const { kernels } = await tf.profile(() => tf.tidy(lossCall(c)));
  return kernels.map((k) => k.name);
}

const COMPOSITE = ['OneHot', 'Exp', 'Log', 'ArgMax', 'Equal', 'Sum', 'Mean', 'Maximum', 'Sub'];

describe.skipIf(!adapter)('the loss on WebGPU = cpu', () => {
  it("is three kernels of ours, none of the composite's, from scores and from a softmax", async () => {
    const c = { rows: 4, classes: 3, smoothing: 0.1, scale: 1, seed: 1 };
    for (const names of [await kernelsOf(c), await kernelsOf({ ...c, softmax: true })]) {
      for (const ours of [CROSS_ENTROPY, CROSS_ENTROPY_GRAD, CORRECT]) expect(names).toContain(ours);
      for (const composite of COMPOSITE) expect(names).not.toContain(composite);
    }
    // A model that ends in softmax: the same kernels, and softmax's (its gradient one kernel of ours,
    // where tfjs' is a product, a sum, a product and a difference).
    const softmax = await kernelsOf({ ...c, softmax: true });
    expect(softmax.filter((n) => n === SOFTMAX_GRAD)).toHaveLength(1);
    // (Identity: tfjs' engine keeps softmax's output for its gradient under another name, no dispatch.)
    const besides = (names: string[]) => names.filter((n) => !['Softmax', SOFTMAX_GRAD, 'Identity'].includes(n)).sort();
    expect(besides(softmax)).toEqual(besides(await kernelsOf(c)));
  }, 60_000);

  it('matches on random batches, class counts and smoothing (batch 1, two classes, more rows than threads)', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 2, max: 37 }),
        fc.constantFrom(0, 0.1, 0.37),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        async (rows, classes, smoothing, softmax, seed) => {
          const c = { rows, classes, smoothing, scale: 4, seed, softmax };
          await expectMatchesCpu('webgpu', lossCall(c), `${NAMES} for ${JSON.stringify(c)}`, 1e-5);
          checked++;
        },
      ),
      { numRuns: 25 },
    );
    expect(checked).toBe(25);
    for (const c of [
      { rows: 1, classes: 2, smoothing: 0.1, scale: 1, seed: 3 },
      { rows: 1, classes: 10, smoothing: 0, scale: 1, seed: 4 },
      { rows: 300, classes: 10, smoothing: 0.1, scale: 2, seed: 5 }, // rows past the 256 threads
      { rows: 64, classes: 1000, smoothing: 0.1, scale: 1, seed: 6 },
    ])
      await expectMatchesCpu('webgpu', lossCall(c), `${NAMES} for ${JSON.stringify(c)}`, 1e-5);
  }, 300_000);

  it('stays exact for large logits, labels outside the classes and tied rows', async () => {
    for (const c of [
      // Probabilities below the floor of 1e-7: their log is the floor's, their gradient 0.
      { rows: 16, classes: 10, smoothing: 0.1, scale: 30, seed: 11, softmax: true },
      { rows: 16, classes: 10, smoothing: 0, scale: 30, seed: 12, softmax: true },
      { rows: 12, classes: 5, smoothing: 0.2, scale: 1, seed: 13, outside: true, softmax: true },
      { rows: 16, classes: 10, smoothing: 0.1, scale: 80, seed: 7 }, // exp would overflow unshifted
      { rows: 12, classes: 5, smoothing: 0.2, scale: 1, seed: 8, outside: true },
      { rows: 12, classes: 5, smoothing: 0, scale: 1, seed: 9, outside: true },
      { rows: 10, classes: 4, smoothing: 0.1, scale: 1, seed: 10, ties: true },
    ])
      await expectMatchesCpu('webgpu', lossCall(c), `${NAMES} for ${JSON.stringify(c)}`, 1e-5);
  }, 120_000);
});

describe.skipIf(!adapter)("softmax's gradient on WebGPU = cpu", () => {
  it('matches over the last axis of any rank (a sequence model ends in softmax per step too)', async () => {
    for (const [shape, seed] of [
      [[3, 7], 1],
      [[2, 4, 5], 2],
      [[1, 2, 3, 10], 3],
      [[5, 1], 4],
    ] as [number[], number][]) {
      const f = () => {
        const x = tf
          .tensor(
            randomValues(
              shape.reduce((a, b) => a * b, 1),
              seed,
            ),
            shape,
          )
          .mul(3);
        const r = tf.tensor(randomValues(x.size, seed + 1), shape);
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => tf.sum(tf.mul(tf.softmax(a), r)))([x]);
        return [value, ...grads];
      };
      await expectMatchesCpu('webgpu', f, `softmax's value and gradient for [${shape}]`, 1e-5);
    }
  }, 60_000);
});
