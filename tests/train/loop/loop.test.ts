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
    // w, and Adam's two moments.
    expect(tf.memory().numTensors - before).toBe(3);
    optimizer.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
