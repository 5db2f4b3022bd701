import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  ADAM_STEP,
  FLAT_CONCAT,
  FLAT_SPLIT,
  Optimizer,
  SGD_STEP,
  type OptimizerConfig,
} from '../../../src/train/loop/optimizer';
import { maxError, randomValues } from './compare';
import { dispatchesDuring, startWebGpu } from './webgpu-setup';

/**
 * The optimizer's fused step on 'webgpu' (Dawn on SwiftShader in Node): SGD with Nesterov momentum
 * and Adam, each one dispatch over the flat parameters, against tfjs' own optimizers
 * (tf.train.momentum, tf.train.adam) on the CPU backend over several steps, and with weight decay
 * against our composite on CPU; and the split back into the parameters, up to 7 parts a dispatch.
 */
const adapter = await startWebGpu('WebGPU optimizer checks');

/** A small network's parameter shapes: odd sizes, a single number, more than 7 (the split takes several dispatches). */
const SHAPES = [[3, 3, 3, 5], [5], [5], [1], [3, 3, 5, 7], [7], [7], [7, 10], [10], [2, 2, 7, 3], [3], [11]];
const STEPS = 5;
const LR = 0.05;

type Stepper = (grads: tf.NamedTensorMap, variables: tf.Variable[]) => void;

/** The parameters after STEPS steps of `stepper` on `backend` (same start, same gradients each run). */
async function run(
  backend: string,
  stepper: () => Stepper & { dispose(): void },
  /** Sets one parameter from outside between steps 2 and 3 (as loading weights would). */
  interfere = false,
  /** Whether parameter i has no gradient in step k. */
  missing: (k: number, i: number) => boolean = () => false,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
  const variables = SHAPES.map((s, i) => tf.variable(tf.tensor(randomValues(size(s), 10 + i), s), true, `p${i}`));
  const step = stepper();
  for (let k = 0; k < STEPS; k++) {
    const grads = Object.fromEntries(
      SHAPES.flatMap((s, i) =>
        missing(k, i) ? [] : [[`p${i}`, tf.tensor(randomValues(size(s), 100 * k + i), s).mul(0.5)]],
      ),
    );
    if (interfere && k === 2) variables[4]!.assign(tf.fill(SHAPES[4]!, 0.25));
    step(grads, variables);
    tf.dispose(Object.values(grads));
  }
  const values = await Promise.all(variables.map((v) => v.data() as Promise<Float32Array>));
  step.dispose();
  tf.dispose(variables);
  return values;
}

const ours = (config: OptimizerConfig) => () => {
  const optimizer = new Optimizer(config);
  return Object.assign((g: tf.NamedTensorMap, v: tf.Variable[]) => optimizer.apply(g, v, LR), {
    dispose: () => optimizer.dispose(),
  });
};
const theirs = (make: () => tf.Optimizer) => () => {
  const optimizer = make();
  return Object.assign((g: tf.NamedTensorMap) => optimizer.applyGradients(g), { dispose: () => optimizer.dispose() });
};

const sgd: OptimizerConfig = { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0 };
const adam: OptimizerConfig = { name: 'adam', momentum: 0, nesterov: false, weightDecay: 0 };

const expectClose = (actual: Float32Array[], expected: Float32Array[], bound: number) =>
  actual.forEach((a, i) => expect(maxError(a, expected[i]!), `parameter ${i}`).toBeLessThan(bound));

describe.skipIf(!adapter)('the fused optimizer step on webgpu', () => {
  it('SGD with Nesterov momentum equals tf.train.momentum on cpu over 5 steps', async () => {
    const expected = await run(
      'cpu',
      theirs(() => tf.train.momentum(LR, 0.9, true)),
    );
    expectClose(await run('webgpu', ours(sgd)), expected, 1e-5);
    // Plain momentum too.
    const plain = await run(
      'cpu',
      theirs(() => tf.train.momentum(LR, 0.9, false)),
    );
    expectClose(await run('webgpu', ours({ ...sgd, nesterov: false })), plain, 1e-5);
  }, 60_000);

  it('a parameter set from outside between steps is read again (the kept flat parameters are not used)', async () => {
    for (const backend of ['webgpu', 'cpu']) {
      const expected = await run(
        'cpu',
        theirs(() => tf.train.momentum(LR, 0.9, true)),
        true,
      );
      expectClose(await run(backend, ours(sgd), true), expected, 1e-5);
    }
  }, 60_000);

  it('parameters without a gradient for some steps keep their state, as on cpu (the state is split and concatenated again)', async () => {
    // Step 1 leaves out parameters 1 and 8; steps 2 and 3 leave out 4; step 3 leaves out all but 0 and 11.
    const missing = (k: number, i: number) =>
      (k === 1 && (i === 1 || i === 8)) || ((k === 2 || k === 3) && i === 4) || (k === 3 && i > 0 && i < 11);
    for (const config of [sgd, adam]) {
      const expected = await run('cpu', ours(config), false, missing);
      expectClose(await run('webgpu', ours(config), false, missing), expected, 1e-6);
      // The gaps change the result: the check is not of the plain run.
      const plain = await run('cpu', ours(config));
      expect(Math.max(...plain.map((w, i) => maxError(w, expected[i]!)))).toBeGreaterThan(1e-4);
    }
  }, 60_000);

  it('Adam equals tf.train.adam (β 0.9, 0.999, ε 1e-8) on cpu over 5 steps', async () => {
    const expected = await run(
      'cpu',
      theirs(() => tf.train.adam(LR, 0.9, 0.999, 1e-8)),
    );
    expectClose(await run('webgpu', ours(adam)), expected, 1e-5);
  }, 60_000);

  it('with weight decay, both equal the composite ops on cpu', async () => {
    for (const config of [
      { ...sgd, weightDecay: 5e-4 },
      { ...adam, weightDecay: 1e-2 },
    ]) {
      const expected = await run('cpu', ours(config));
      expectClose(await run('webgpu', ours(config)), expected, 1e-6);
      // The decay is applied: without it the result differs.
      const without = await run('webgpu', ours({ ...config, weightDecay: 0 }));
      expect(Math.max(...without.map((w, i) => maxError(w, expected[i]!)))).toBeGreaterThan(1e-5);
    }
  }, 60_000);

  it('a step is our concatenation, one dispatch and our split (7 parts a dispatch): no Reshape, no Concat, no leak', async () => {
    await tf.setBackend('webgpu');
    const variables = SHAPES.map((s) => tf.variable(tf.ones(s)));
    const grads = Object.fromEntries(variables.map((v) => [v.name, tf.onesLike(v)]));
    const chunks = Math.ceil(SHAPES.length / 7);
    for (const [config, kernel] of [
      [sgd, SGD_STEP],
      [adam, ADAM_STEP],
    ] as const) {
      const optimizer = new Optimizer(config);
      /** The kernels one apply calls (tf.profile) and its dispatches. */
      const step = async () => {
        let dispatches = 0;
        const profile = await tf.profile(() => {
          dispatches = dispatchesDuring(() => optimizer.apply(grads, variables, LR)).dispatches;
        });
        return { kernels: profile.kernels.map((k) => k.name), dispatches };
      };
      // The first step flattens the parameters too (its state starts as zeros: an upload, no kernel).
      expect(await step()).toEqual({
        kernels: [FLAT_CONCAT, FLAT_CONCAT, kernel, FLAT_SPLIT],
        dispatches: 3 * chunks + 1,
      });
      // Later ones reuse the flat parameters the last step wrote: only the gradients are concatenated.
      const before = tf.memory().numTensors;
      expect(await step()).toEqual({ kernels: [FLAT_CONCAT, kernel, FLAT_SPLIT], dispatches: 2 * chunks + 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(variables.map((v) => v.shape)).toEqual(SHAPES);
      optimizer.dispose();
    }
    tf.dispose([...variables, ...Object.values(grads)]);
  }, 60_000);
});

describe.skipIf(!adapter)('split on webgpu', () => {
  it('equals cpu on random splits of a vector (1 to 20 parts, sizes 1 to 40)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), async (sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const values = randomValues(total, sizes.length);
        const parts = async (backend: string) => {
          await tf.setBackend(backend);
          const out = tf.split(tf.tensor1d(values), sizes);
          const read = await Promise.all(out.map((t) => t.data()));
          tf.dispose(out);
          return read;
        };
        const [cpu, gpu] = [await parts('cpu'), await parts('webgpu')];
        expect(gpu).toEqual(cpu);
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('keeps the package kernel where the parts are not contiguous runs, and for int32 or a count', async () => {
    const cases: [number[], number | number[], number, 'float32' | 'int32'][] = [
      [[1, 12], [5, 7], 1, 'float32'], // contiguous: ours
      [[3, 12], [5, 7], 1, 'float32'], // not contiguous: the package's
      [[12, 3], [5, 7], 0, 'float32'],
      [[12], [5, -1], 0, 'float32'],
      [[12], 3, 0, 'float32'],
      [[12], [5, 7], 0, 'int32'],
    ];
    for (const [shape, splits, axis, dtype] of cases) {
      const size = shape.reduce((p, d) => p * d, 1);
      const parts = async (backend: string) => {
        await tf.setBackend(backend);
        const x = tf.tensor(
          Array.from({ length: size }, (_, i) => i * 3 - 7),
          shape,
          dtype,
        );
        const out = tf.split(x, splits, axis);
        const read = await Promise.all(out.map(async (t) => ({ shape: t.shape, values: await t.data() })));
        tf.dispose([x, ...out]);
        return read;
      };
      expect(await parts('webgpu'), `${shape} split ${splits} on ${axis}`).toEqual(await parts('cpu'));
    }
  }, 60_000);
});
