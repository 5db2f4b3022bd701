import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'sgd' | 'adam';

export interface OptimizerConfig {
  readonly name: OptimizerName;
  /** SGD momentum (0.9 in the recipe); Adam's β1 is 0.9 and β2 0.999. */
  readonly momentum: number;
  readonly nesterov: boolean;
  /** L2 penalty added to the gradient of every parameter, as PyTorch's `weight_decay`. */
  readonly weightDecay: number;
}

/**
 * SGD (momentum, Nesterov) and Adam exactly as `torch.optim.SGD` and `torch.optim.Adam` update
 * (the PyTorch docs' pseudo-code): g ← g + λw; SGD b ← μb + g, w ← w − η(g + μb) with Nesterov
 * or w ← w − ηb without; Adam m ← β1m + (1−β1)g, v ← β2v + (1−β2)g², w ← w − η·m̂/(√v̂ + ε).
 * The learning rate is given per step, so any schedule can drive it.
 */
export class Optimizer {
  private readonly state = new Map<string, tf.Variable[]>();
  private steps = 0;

  constructor(private readonly config: OptimizerConfig) {}

  /** Applies one update to each variable from its gradient. */
  apply(grads: tf.NamedTensorMap, variables: readonly tf.Variable[], lr: number): void {
    this.steps++;
    const { name, momentum, nesterov, weightDecay } = this.config;
    tf.tidy(() => {
      for (const w of variables) {
        const raw = grads[w.name];
        if (!raw) continue;
        const g = weightDecay ? raw.add(w.mul(weightDecay)) : raw;
        if (name === 'sgd') {
          if (!momentum) {
            w.assign(w.sub(g.mul(lr)));
            continue;
          }
          const [b] = this.slots(w, 1) as [tf.Variable];
          b.assign(b.mul(momentum).add(g));
          w.assign(w.sub((nesterov ? g.add(b.mul(momentum)) : b).mul(lr)));
        } else {
          const [m, v] = this.slots(w, 2) as [tf.Variable, tf.Variable];
          const [b1, b2, eps] = [0.9, 0.999, 1e-8];
          m.assign(m.mul(b1).add(g.mul(1 - b1)));
          v.assign(v.mul(b2).add(g.square().mul(1 - b2)));
          const c1 = 1 - b1 ** this.steps;
          const c2 = 1 - b2 ** this.steps;
          w.assign(w.sub(m.div(v.div(c2).sqrt().add(eps)).mul(lr / c1)));
        }
      }
    });
  }

  /** Frees the optimizer's state (momentum buffers, Adam moments). */
  dispose(): void {
    for (const slots of this.state.values()) for (const s of slots) s.dispose();
    this.state.clear();
  }

  private slots(w: tf.Variable, count: number): tf.Variable[] {
    let slots = this.state.get(w.name);
    if (!slots) {
      slots = Array.from({ length: count }, () => tf.keep(tf.variable(tf.zerosLike(w), false)));
      this.state.set(w.name, slots);
    }
    return slots;
  }
}
