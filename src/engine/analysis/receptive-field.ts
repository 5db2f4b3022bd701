/**
 * Receptive fields, per spatial axis, as size r, jump j (the effective stride: how far apart in
 * the input two neighbouring outputs' fields start) and start (the input coordinate where output
 * element 0's field begins; negative when padding puts it outside the input).
 *
 * Composition through a layer whose own window has kernel k (dilated extent k_eff), stride s and
 * padding p₀ before (Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural
 * Networks", Distill 2019, eqs. 1–2 in recursive form; Dumoulin & Visin 2016):
 *   r_out = r_in + (k_eff − 1)·j_in,   j_out = j_in·s,   start_out = start_in − p₀·j_in.
 * Branches that meet (Add, Concatenate) take the union of their fields.
 */

/** The receptive field along one spatial axis of a tensor, in model-input coordinates. */
export interface AxisField {
  readonly size: number;
  readonly jump: number;
  /** `null` when it depends on an unknown input size ('same' padding with stride > 1). */
  readonly start: number | null;
}

/** A tensor's receptive field: one entry per spatial axis, measured on one model input. */
export interface ReceptiveField {
  readonly input: string;
  readonly axes: readonly AxisField[];
}

/**
 * One layer's own window along an output spatial axis: which input spatial axis it reads
 * (`from`), and the size, jump and start of output element 0's window in that axis' input
 * coordinates. A field of all 1s with start 0 is the identity.
 */
export interface AxisWindow extends AxisField {
  readonly from: number;
}

/**
 * How a layer maps its input's field to its output's: per-axis windows, `'union'` for merges
 * of several inputs, or `null` when outputs no longer have spatial positions (Flatten, Dense on
 * a flat vector, global pooling, Reshape).
 */
export type LocalField = readonly AxisWindow[] | 'union' | null;

const identities: (readonly AxisWindow[])[] = [];

/** The identity window on `rank` spatial axes (shared: windows are never modified). */
export function identityWindows(rank: number): readonly AxisWindow[] {
  return (identities[rank] ??= Array.from({ length: rank }, (_, from) => ({ from, size: 1, jump: 1, start: 0 })));
}

/** The field of a model input with `rank` spatial axes: each position sees itself. */
export function inputField(input: string, rank: number): ReceptiveField {
  return { input, axes: Array.from({ length: rank }, () => ({ size: 1, jump: 1, start: 0 })) };
}

/** Composes the field of a layer's input with the layer's own windows (see the module comment). */
export function composeField(field: ReceptiveField, windows: readonly AxisWindow[]): ReceptiveField | null {
  const axes: AxisField[] = [];
  for (const w of windows) {
    const f = field.axes[w.from];
    if (!f) return null;
    axes.push({
      size: f.size + (w.size - 1) * f.jump,
      jump: f.jump * w.jump,
      start: f.start === null || w.start === null ? null : f.start + w.start * f.jump,
    });
  }
  return { input: field.input, axes };
}

/**
 * Union of the fields of branches that meet: from the smallest start to the largest end. The
 * jump is the smallest of the branches' (they agree in any model whose shapes agree). Fields
 * measured on different model inputs have no common coordinates: the union is `null`.
 */
export function unionFields(fields: readonly (ReceptiveField | null)[]): ReceptiveField | null {
  const [first, ...rest] = fields;
  if (!first) return null;
  if (rest.some((f) => !f || f.input !== first.input || f.axes.length !== first.axes.length)) {
    return null;
  }
  const all = fields as readonly ReceptiveField[];
  return { input: first.input, axes: first.axes.map((_, i) => unionAxis(all.map((f) => f.axes[i]!))) };
}

function unionAxis(axes: readonly AxisField[]): AxisField {
  const jump = Math.min(...axes.map((a) => a.jump));
  const starts = axes.map((a) => a.start);
  if (starts.some((s) => s === null)) {
    return { size: Math.max(...axes.map((a) => a.size)), jump, start: null };
  }
  const lo = Math.min(...(starts as number[]));
  const hi = Math.max(...axes.map((a) => (a.start as number) + a.size));
  return { size: hi - lo, jump, start: lo };
}
