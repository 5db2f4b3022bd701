import * as tf from '@tensorflow/tfjs';
import { hasKernel } from '../backend/call-kernel';
import { constant } from '../backend/webgpu/constants';

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
 *
 * All parameters are updated at once, as one flat vector (as PyTorch's `foreach` optimizers do):
 * the same element-wise arithmetic, so the same numbers, in a handful of element-wise kernels plus
 * the concatenations and the split (about 100 kernel calls for ResNet-20's 65 parameter tensors,
 * instead of about 520). On WebGPU each kernel call is a dispatch, and its scalars an upload; there
 * a step is three kernel calls (FLAT_CONCAT of the gradients, the step, FLAT_SPLIT into the
 * parameters' shapes) and 2·⌈n/7⌉ + 1 dispatches for n parameters, with no Reshape per parameter.
 * The flat parameters a step writes are kept for the next, which then concatenates only the
 * gradients: they are used while every parameter still holds exactly the part the step gave it
 * (the same data id; anything that sets a weight in between gives it another).
 * Adam's bias correction counts the optimizer's steps; torch counts each parameter's, which
 * differs only for a parameter that went without a gradient for some steps.
 */
/**
 * One whole step as a kernel, where the backend has one (WebGPU: src/train/backend/webgpu/optimizer.ts):
 * { w, g, b } → [w′, b′] over the flat vectors, the arithmetic of the composite below.
 */
export const SGD_STEP = 'ConvScopeSgdStep';
/** { w, g, m, v } → [w′, m′, v′], likewise. */
export const ADAM_STEP = 'ConvScopeAdamStep';
/**
 * Where the backend has them (WebGPU: src/train/backend/webgpu/flat.ts), the flat vector made and
 * taken apart without a Reshape kernel call per parameter: { 0, 1, … } (float32, any shapes) → one
 * vector of their values end to end; { x } → one tensor per `shapes` (FlatSplitAttrs), x's values
 * in order.
 */
export const FLAT_CONCAT = 'ConvScopeFlatConcat';
export const FLAT_SPLIT = 'ConvScopeFlatSplit';

export interface FlatSplitAttrs {
  readonly shapes: readonly number[][];
}

export interface SgdStepAttrs {
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

export interface AdamStepAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken, this one included (bias correction). */
  readonly step: number;
  readonly weightDecay: number;
}

/** torch.optim.Adam's defaults. */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export class Optimizer {
  /** Flat state (momentum buffer; Adam's two moments) for `names`, the parameters last updated. */
  private state: { names: string; sizes: number[]; slots: tf.Variable[] } | null = null;
  /**
   * The state of parameters that had no gradient in the last update, by name (on some backends a
   * part shares the old flat state's buffer, which then lives until the part is taken back).
   */
  private readonly parked = new Map<string, tf.Tensor[]>();
  private steps = 0;
  /** The flat parameters the last step wrote, and the data each parameter was given from them. */
  private written: { flat: tf.Tensor; held: readonly tf.Variable[]; dataIds: readonly object[] } | null = null;

  constructor(private readonly config: OptimizerConfig) {}

  /** Applies one update to each variable that has a gradient. */
  apply(grads: tf.NamedTensorMap, variables: readonly tf.Variable[], lr: number): void {
    this.steps++;
    const { name, momentum, nesterov, weightDecay } = this.config;
    const live = variables.filter((w) => grads[w.name]);
    if (!live.length) return;
    tf.tidy(() => {
      const w = this.flatParameters(live);
      const raw = flatten(live.map((v) => grads[v.name] as tf.Tensor));
      const g = () => (weightDecay ? raw.add(w.mul(constant(weightDecay))) : raw);
      let next: tf.Tensor;
      if (name === 'sgd' && !momentum) {
        next = w.sub(g().mul(lr));
      } else if (name === 'sgd' && hasKernel(SGD_STEP)) {
        const [b] = this.slots(live, 1) as [tf.Variable];
        const attrs: SgdStepAttrs = { lr, momentum, nesterov, weightDecay };
        const out = tf.engine().runKernel(SGD_STEP, { w, g: raw, b }, attrs as unknown as tf.NamedAttrMap);
        next = (out as tf.Tensor[])[0] as tf.Tensor;
        b.assign((out as tf.Tensor[])[1] as tf.Tensor);
      } else if (name === 'sgd') {
        const [b] = this.slots(live, 1) as [tf.Variable];
        const gradient = g();
        b.assign(b.mul(constant(momentum)).add(gradient));
        next = w.sub((nesterov ? gradient.add(b.mul(constant(momentum))) : b).mul(lr));
      } else if (hasKernel(ADAM_STEP)) {
        const [m, v] = this.slots(live, 2) as [tf.Variable, tf.Variable];
        const attrs: AdamStepAttrs = { lr, ...ADAM, step: this.steps, weightDecay };
        const out = tf.engine().runKernel(ADAM_STEP, { w, g: raw, m, v }, attrs as unknown as tf.NamedAttrMap);
        next = (out as tf.Tensor[])[0] as tf.Tensor;
        m.assign((out as tf.Tensor[])[1] as tf.Tensor);
        v.assign((out as tf.Tensor[])[2] as tf.Tensor);
      } else {
        const [m, v] = this.slots(live, 2) as [tf.Variable, tf.Variable];
        const { beta1: b1, beta2: b2, epsilon: eps } = ADAM;
        const gradient = g();
        m.assign(m.mul(constant(b1)).add(gradient.mul(constant(1 - b1))));
        v.assign(v.mul(constant(b2)).add(gradient.square().mul(constant(1 - b2))));
        const c1 = 1 - b1 ** this.steps;
        const c2 = 1 - b2 ** this.steps;
        next = w.sub(m.div(v.div(c2).sqrt().add(constant(eps))).mul(lr / c1));
      }
      const parts = unflatten(next, live);
      live.forEach((v, i) => v.assign(parts[i] as tf.Tensor));
      this.written?.flat.dispose();
      this.written = { flat: tf.keep(next), held: live, dataIds: live.map((v) => v.dataId) };
    });
  }

  /** `live` as one vector: the last step's own, while every parameter still holds its part of it. */
  private flatParameters(live: readonly tf.Variable[]): tf.Tensor {
    const written = this.written;
    const same =
      written !== null &&
      written.held.length === live.length &&
      live.every((v, i) => v === written.held[i] && v.dataId === written.dataIds[i]);
    return same ? written.flat : flatten(live);
  }

  /** Frees the optimizer's state (momentum buffers, Adam moments). */
  dispose(): void {
    this.written?.flat.dispose();
    this.written = null;
    this.disposeState();
    for (const kept of this.parked.values()) tf.dispose(kept);
    this.parked.clear();
  }

  /**
   * The flat state for `live`, created as zeros on first use. When the set of parameters with a
   * gradient changes, each parameter's part of the state is carried over: kept aside while it has
   * no gradient, taken back when it has one again.
   */
  private slots(live: readonly tf.Variable[], count: number): tf.Variable[] {
    const names = live.map((v) => v.name).join('\n');
    if (this.state?.names === names) return this.state.slots;
    if (this.state) {
      const { names: old, sizes, slots } = this.state;
      const split = slots.map((s) => tf.split(s, sizes));
      old.split('\n').forEach((n, i) =>
        this.parked.set(
          n,
          split.map((parts) => tf.keep(parts[i] as tf.Tensor)),
        ),
      );
      this.disposeState();
    }
    const parked = live.some((v) => this.parked.has(v.name));
    const total = live.reduce((t, v) => t + v.size, 0);
    const pieces = (k: number) => live.map((v) => this.parked.get(v.name)?.[k] ?? tf.zeros([v.size]));
    const next = Array.from({ length: count }, (_, k) =>
      tf.variable(parked ? flatten(pieces(k)) : tf.zeros([total]), false),
    );
    for (const v of live) {
      tf.dispose(this.parked.get(v.name) ?? []);
      this.parked.delete(v.name);
    }
    this.state = { names, sizes: live.map((v) => v.size), slots: next };
    return next;
  }

  private disposeState(): void {
    for (const s of this.state?.slots ?? []) s.dispose();
    this.state = null;
  }
}

/** The tensors' values end to end, as one vector. */
function flatten(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  if (tensors.length > 1 && hasKernel(FLAT_CONCAT))
    return tf.engine().runKernel(FLAT_CONCAT, { ...tensors } as unknown as tf.NamedTensorMap) as tf.Tensor1D;
  const flat = tensors.map((t) => t.reshape([-1]));
  return (flat.length === 1 ? flat[0] : tf.concat(flat)) as tf.Tensor1D;
}

/** `flat` cut back into the parameters' parts, each in its parameter's shape. */
function unflatten(flat: tf.Tensor, live: readonly tf.Variable[]): tf.Tensor[] {
  if (live.length === 1) return [flat.reshape((live[0] as tf.Variable).shape)];
  if (hasKernel(FLAT_SPLIT)) {
    const attrs: FlatSplitAttrs = { shapes: live.map((v) => v.shape) };
    return tf.engine().runKernel(FLAT_SPLIT, { x: flat }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  const parts = tf.split(
    flat,
    live.map((v) => v.size),
  );
  return parts.map((p, i) => p.reshape((live[i] as tf.Variable).shape));
}
