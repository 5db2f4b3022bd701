import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../../../src/train/loop/loss';
import { Optimizer, type OptimizerConfig } from '../../../src/train/loop/optimizer';
import { learningRate, type Schedule } from '../../../src/train/loop/schedule';
import { findPython, runPython } from '../../io/python/find-python';

/**
 * The trainer's schedules, optimizers and loss against PyTorch 1.13's own (the exported
 * training script uses those, so a run in the tab and the script follow the same recipe).
 */
const python = findPython(['torch']);
if (!python)
  console.warn('Trainer-vs-PyTorch checks skipped: no Python with torch (Debian: apt-get install python3-torch).');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const total = 50;
const w0 = [0.5, -1.25, 2, 0.1];
const grads = Array.from({ length: 6 }, (_, s) => w0.map((_, i) => Math.sin(s * 3 + i) * (i + 1)));
const lrs = [0.1, 0.2, 0.05, 0.15, 0.1, 0.01];
const logits = [
  [2, -1, 0.5, 0.1],
  [-0.3, 0.2, 3, -2],
  [0, 0, 0, 0],
];
const labels = [0, 2, 3];
const smoothing = 0.1;

interface Reference {
  readonly [name: string]: number[] | number;
}

describe.skipIf(!python)('training recipe = PyTorch', () => {
  let ref: Reference;
  beforeAll(() => {
    ref = runPython<Reference>(python!, fileURLToPath(new URL('./torch_reference.py', import.meta.url)), {
      peak: 0.2,
      total,
      w0,
      grads,
      lrs,
      logits,
      labels,
      smoothing,
    });
  });

  it('has PyTorch’s learning rate at every step of one-cycle, cosine and step schedules', () => {
    for (const schedule of ['onecycle', 'cosine', 'step'] as Schedule[]) {
      const ours = Array.from({ length: total }, (_, s) => learningRate(schedule, 0.2, s, total));
      (ref[schedule] as number[]).forEach((lr, s) => expect(ours[s], `${schedule} step ${s}`).toBeCloseTo(lr, 10));
    }
  });

  it('updates parameters as torch.optim.SGD (momentum, Nesterov, weight decay) and Adam do', () => {
    const configs: Record<string, OptimizerConfig> = {
      sgd_nesterov: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      sgd_momentum: { name: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 1e-3 },
      sgd_plain: { name: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 },
      adam: { name: 'adam', momentum: 0.9, nesterov: false, weightDecay: 1e-4 },
    };
    for (const [name, config] of Object.entries(configs)) {
      const w = tf.variable(tf.tensor1d(w0), true, `w_${name}`);
      const optimizer = new Optimizer(config);
      grads.forEach((g, s) => optimizer.apply({ [w.name]: tf.tensor1d(g) }, [w], lrs[s]!));
      const ours = Array.from(w.dataSync());
      (ref[name] as number[]).forEach((v, i) => expect(ours[i], `${name}[${i}]`).toBeCloseTo(v, 4));
      optimizer.dispose();
      w.dispose();
    }
  });

  it('computes cross-entropy with label smoothing as F.cross_entropy, from logits and from probabilities', () => {
    const out = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    expect(crossEntropy(out, y, smoothing, false).dataSync()[0]).toBeCloseTo(ref['ce_logits'] as number, 5);
    expect(crossEntropy(tf.softmax(out) as tf.Tensor2D, y, smoothing, true).dataSync()[0]).toBeCloseTo(
      ref['ce_probs'] as number,
      5,
    );
  });
});

describe('optimizer state', () => {
  it('keeps one buffer per variable and frees it', () => {
    const before = tf.memory().numTensors;
    const init = tf.ones([3]);
    const w = tf.variable(init, true, 'w_state');
    init.dispose();
    const optimizer = new Optimizer({ name: 'adam', momentum: 0.9, nesterov: false, weightDecay: 0 });
    for (let s = 0; s < 5; s++) {
      const g = tf.ones([3]);
      optimizer.apply({ [w.name]: g }, [w], 0.1);
      g.dispose();
    }
    // w, Adam's two moments, and the last step's flat parameters (kept so the next step need not
    // concatenate them; with one parameter it shares w's data).
    expect(tf.memory().numTensors - before).toBe(4);
    optimizer.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('updates many parameters at once exactly as one at a time, also when some have no gradient', () => {
    const shapes = [[3, 3, 2, 4], [4], [4], [5, 2], [1]];
    const values = (shape: number[], seed: number) =>
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7.3 + i * 1.7));
    const configs: OptimizerConfig[] = [
      { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      { name: 'adam', momentum: 0.9, nesterov: false, weightDecay: 1e-4 },
    ];
    for (const config of configs) {
      const before = tf.memory().numTensors;
      const ours = shapes.map((sh, i) =>
        tf.tidy(() => tf.variable(tf.tensor(values(sh, i), sh), true, `flat_${config.name}_${i}`)),
      );
      const refs = shapes.map((sh, i) => values(sh, i));
      const state = shapes.map((sh) => [
        new Float32Array(values(sh, 0).length),
        new Float32Array(values(sh, 0).length),
      ]);
      const optimizer = new Optimizer(config);
      // Step 3 leaves parameter 1 out (no gradient): it must not move, and its state must survive
      // (Adam's bias correction counts the optimizer's steps, as before, not each parameter's).
      for (let step = 1; step <= 5; step++) {
        const lr = 0.1 / step;
        const grads: tf.NamedTensorMap = {};
        shapes.forEach((sh, i) => {
          if (step === 3 && i === 1) return;
          const g = values(sh, 10 * step + i);
          grads[(ours[i] as tf.Variable).name] = tf.tensor(g, sh);
          // The reference, in float32 like tfjs: one parameter at a time.
          const w = refs[i] as number[];
          const [b, v] = state[i] as [Float32Array, Float32Array];
          const f = Math.fround;
          w.forEach((wj, j) => {
            const gj = f(g[j]! + f(wj * f(config.weightDecay)));
            if (config.name === 'sgd') {
              b[j] = f(f(b[j]! * f(config.momentum)) + gj);
              w[j] = f(wj - f(f(gj + f(b[j]! * f(config.momentum))) * f(lr)));
            } else {
              b[j] = f(f(b[j]! * f(0.9)) + f(gj * f(1 - 0.9)));
              v[j] = f(f(v[j]! * f(0.999)) + f(f(gj * gj) * f(1 - 0.999)));
              const den = f(f(Math.sqrt(f(v[j]! / f(1 - 0.999 ** step)))) + f(1e-8));
              w[j] = f(wj - f(f(b[j]! / den) * f(lr / (1 - 0.9 ** step))));
            }
          });
        });
        optimizer.apply(grads, ours, lr);
        tf.dispose(Object.values(grads));
      }
      ours.forEach((w, i) => {
        const got = Array.from(w.dataSync());
        (refs[i] as number[]).forEach((r, j) => expect(got[j], `${config.name} p${i}[${j}]`).toBeCloseTo(r, 6));
      });
      optimizer.dispose();
      tf.dispose(ours);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
