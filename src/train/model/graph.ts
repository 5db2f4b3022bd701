import * as tf from '@tensorflow/tfjs';
import { helperName } from './names';

/** A tensor's layout: the engine's ('eng') or channels-last ('cl'); the same unless the model is channels-first. */
export type Form = 'eng' | 'cl';

/** One engine tensor in the tfjs graph, in the layouts made so far. */
export interface Value {
  /** Axes per example. */
  readonly rank: number;
  /** The tfjs name of the engine layer it comes from, for naming layout changes. */
  readonly owner: string;
  readonly forms: { eng?: tf.SymbolicTensor; cl?: tf.SymbolicTensor };
}

/**
 * The tfjs graph being built: unique names, layout changes made once per tensor and only when
 * a layer needs them, and the initialiser seeds.
 */
export class Graph {
  /** tfjs layers whose output is channels-last while the engine's layout is channels-first. */
  readonly channelsLast = new Set<string>();
  private readonly used = new Set<string>();
  private readonly layers: tf.layers.Layer[] = [];
  private seedCount = 0;

  constructor(
    readonly channelsFirst: boolean,
    private readonly seed: number | null,
  ) {}

  /** A fresh seed for the next initialiser (null: unseeded). */
  nextSeed(): number | null {
    return this.seed === null ? null : this.seed + 7919 * this.seedCount++;
  }

  /** A unique helper name `owner/.what`, `owner/.what_1`, … */
  helper(owner: string, what: string): string {
    let name = helperName(owner, what);
    for (let n = 1; this.used.has(name); n++) name = helperName(owner, `${what}_${n}`);
    this.used.add(name);
    return name;
  }

  apply(layer: tf.layers.Layer, inputs: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
    this.used.add(layer.name);
    this.layers.push(layer);
    return layer.apply(inputs) as tf.SymbolicTensor;
  }

  /** Frees the weights of every layer built so far (a build that failed half-way). */
  dispose(): void {
    for (const layer of this.layers) if (layer.built) layer.dispose();
  }

  /** True when the two layouts of a tensor of this rank are one and the same. */
  sameLayouts(rank: number): boolean {
    return !this.channelsFirst || rank < 2;
  }

  /** The value a layer's output makes, `form` telling its layout. */
  value(tensor: tf.SymbolicTensor, form: Form): Value {
    const rank = tensor.shape.length - 1;
    const owner = tensor.sourceLayer.name;
    if (this.sameLayouts(rank)) return { rank, owner, forms: { eng: tensor, cl: tensor } };
    if (form === 'cl') this.channelsLast.add(owner);
    return { rank, owner, forms: { [form]: tensor } };
  }

  /** The value in the layout asked for, transposing (once) when it only exists in the other. */
  get(v: Value, form: Form): tf.SymbolicTensor {
    const found = v.forms[form];
    if (found) return found;
    const other = (form === 'cl' ? v.forms.eng : v.forms.cl) as tf.SymbolicTensor;
    // Permute's dims are 1-based without the batch: the channel axis moves last or first.
    const r = v.rank;
    const dims =
      form === 'cl'
        ? [...Array.from({ length: r - 1 }, (_, i) => i + 2), 1]
        : [r, ...Array.from({ length: r - 1 }, (_, i) => i + 1)];
    const name = this.helper(v.owner, form === 'cl' ? 'to_channels_last' : 'to_channels_first');
    const permuted = this.apply(tf.layers.permute({ dims, name }), other);
    v.forms[form] = permuted;
    return permuted;
  }

  /** The value in whichever layout it has (channels-last first): for layers that do not care. */
  any(v: Value): { tensor: tf.SymbolicTensor; form: Form } {
    if (v.forms.cl) return { tensor: v.forms.cl, form: 'cl' };
    return { tensor: v.forms.eng as tf.SymbolicTensor, form: 'eng' };
  }
}
