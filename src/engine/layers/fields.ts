import { z } from 'zod';

/**
 * Field schemas shared by the layer kinds. Bounds are generous for real networks and small
 * enough that counts stay exact in double precision: a model with 10⁹ filters is a typo.
 */
export const LIMITS = {
  channels: 1 << 20,
  size: 1 << 24,
  kernel: 4096,
  stride: 4096,
} as const;

/** A whole number in [min, max], with messages that name the field (`what`). */
export function int(min: number, max: number, what: string) {
  return z
    .number({ error: `${what} must be a whole number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max.toLocaleString('en-US')}` });
}

/** A count of channels, filters or units. */
export const units = (what: string) => int(1, LIMITS.channels, what);

/** An integer or a tuple of `rank` integers (Keras' `int or tuple`). */
export function perAxis(rank: number, min: number, max: number, what: string) {
  const one = int(min, max, what);
  return z.union([one, z.array(one).length(rank, { error: `${what} needs ${rank} values, one per spatial axis` })]);
}

export const kernelSize = (rank: number) => perAxis(rank, 1, LIMITS.kernel, 'kernel size');
export const strides = (rank: number) => perAxis(rank, 1, LIMITS.stride, 'stride');
export const dilationRate = (rank: number) => perAxis(rank, 1, LIMITS.stride, 'dilation');

const pad = int(0, LIMITS.kernel, 'padding');
const sides = z.tuple([pad, pad]);

/**
 * Padding of a window: Keras' 'valid' (none) and 'same' (output ⌈L/s⌉, the odd pixel at the
 * bottom/right), Keras' 'causal' (Conv1D: all on the left), or explicit as PyTorch and
 * `tf.pad` take it: one number for every side, one per axis (both sides), or [before, after]
 * per axis.
 */
export function padding(rank: number, causal = false) {
  return z.union([
    causal ? z.enum(['valid', 'same', 'causal']) : z.enum(['valid', 'same']),
    pad,
    z.array(z.union([pad, sides])).length(rank, { error: `padding needs ${rank} entries, one per spatial axis` }),
  ]);
}

export type PaddingSpec = 'valid' | 'same' | 'causal' | number | readonly (number | readonly [number, number])[];

export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'silu',
  'swish',
  'sigmoid',
  'hard_sigmoid',
  'hard_swish',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'mish',
] as const;

export const activation = z.enum(ACTIVATIONS).default('linear');
export const useBias = z.boolean().default(true);
