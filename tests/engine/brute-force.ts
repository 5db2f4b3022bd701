import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';

/**
 * Brute force for connectivity tests: random 1-D/2-D stacks described once, built as ConvScope
 * layers and run in TensorFlow.js on one-hot inputs with all-ones kernels, so that output o is
 * non-zero exactly where input x feeds it (and, through convolutions and sums alone, equals the
 * number of paths from x to o).
 */
export type Pad = 'valid' | 'same' | 'causal' | [number, number];
export type Op =
  | { kind: 'conv'; k: number; s: number; d: number; pad: Pad }
  | { kind: 'pool'; max: boolean; k: number; s: number; pad: Pad }
  | { kind: 'branch'; k1: number; k2: number; d2: number };

export const opArb = (causal: boolean): fc.Arbitrary<Op> => {
  const explicit = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }));
  const pad = fc.oneof(
    fc.constant<Pad>('valid'),
    fc.constant<Pad>('same'),
    explicit,
    ...(causal ? [fc.constant<Pad>('causal')] : []),
  );
  return fc.oneof(
    fc.record({
      kind: fc.constant('conv' as const),
      k: fc.integer({ min: 1, max: 4 }),
      s: fc.integer({ min: 1, max: 3 }),
      d: fc.constant(1),
      pad,
    }),
    fc.record({
      kind: fc.constant('conv' as const),
      k: fc.integer({ min: 2, max: 3 }),
      s: fc.constant(1),
      d: fc.integer({ min: 2, max: 4 }),
      pad,
    }),
    fc.record({
      kind: fc.constant('pool' as const),
      max: fc.boolean(),
      k: fc.integer({ min: 1, max: 3 }),
      s: fc.integer({ min: 1, max: 3 }),
      pad: fc.oneof(fc.constant<Pad>('valid'), fc.constant<Pad>('same')),
    }),
    fc.record({
      kind: fc.constant('branch' as const),
      k1: fc.constantFrom(1, 3),
      k2: fc.constantFrom(3, 5),
      d2: fc.integer({ min: 1, max: 2 }),
    }),
  );
};

/** The stack as project layers (one channel), for the engine. */
export function engineLayers(rank: 1 | 2, size: number, ops: Op[]) {
  const d = `${rank}D`;
  const layers: Record<string, unknown>[] = [{ name: 'in', type: 'Input', shape: [...Array(rank).fill(size), 1] }];
  const padding = (p: Pad) => (Array.isArray(p) ? Array(rank).fill(p) : p);
  ops.forEach((op, i) => {
    if (op.kind === 'conv')
      layers.push({
        name: `l${i}`,
        type: `Conv${d}`,
        filters: 1,
        kernelSize: op.k,
        strides: op.s,
        dilationRate: op.d,
        padding: padding(op.pad),
      });
    if (op.kind === 'pool')
      layers.push({
        name: `l${i}`,
        type: `${op.max ? 'Max' : 'Average'}Pooling${d}`,
        poolSize: op.k,
        strides: op.s,
        padding: op.pad,
      });
    if (op.kind === 'branch') {
      const from = layers.at(-1)!['name'] as string;
      layers.push(
        { name: `l${i}a`, type: `Conv${d}`, filters: 1, kernelSize: op.k1, padding: 'same', inputs: [from] },
        {
          name: `l${i}b`,
          type: `Conv${d}`,
          filters: 1,
          kernelSize: op.k2,
          dilationRate: op.d2,
          padding: 'same',
          inputs: [from],
        },
        { name: `l${i}`, type: 'Add', inputs: [`l${i}a`, `l${i}b`] },
      );
    }
  });
  return layers;
}

/** Runs the stack on a batch of one-hot inputs with TensorFlow.js' own ops. */
export function forward(rank: 1 | 2, x: tf.Tensor, ops: Op[]): tf.Tensor {
  const conv = (t: tf.Tensor, k: number, s: number, d: number, pad: Pad): tf.Tensor => {
    if (pad === 'causal')
      return conv(
        tf.pad(t, [
          [0, 0],
          [(k - 1) * d, 0],
          [0, 0],
        ]),
        k,
        s,
        d,
        'valid',
      );
    if (Array.isArray(pad)) return conv(padSpatial(t, pad), k, s, d, 'valid');
    return rank === 1
      ? tf.conv1d(t as tf.Tensor3D, tf.ones([k, 1, 1]) as tf.Tensor3D, s, pad, 'NWC', d)
      : tf.conv2d(t as tf.Tensor4D, tf.ones([k, k, 1, 1]) as tf.Tensor4D, s, pad, 'NHWC', d);
  };
  const padSpatial = (t: tf.Tensor, [a, b]: [number, number]) =>
    tf.pad(
      t,
      rank === 1
        ? [
            [0, 0],
            [a, b],
            [0, 0],
          ]
        : [
            [0, 0],
            [a, b],
            [a, b],
            [0, 0],
          ],
    );
  const pool = (t: tf.Tensor, op: Extract<Op, { kind: 'pool' }>): tf.Tensor => {
    const t4 = (rank === 1 ? t.expandDims(2) : t) as tf.Tensor4D;
    const size: [number, number] = rank === 1 ? [op.k, 1] : [op.k, op.k];
    const strides: [number, number] = rank === 1 ? [op.s, 1] : [op.s, op.s];
    const out = op.max
      ? tf.maxPool(t4, size, strides, op.pad as 'valid')
      : tf.avgPool(t4, size, strides, op.pad as 'valid');
    return rank === 1 ? out.squeeze([2]) : out;
  };
  return ops.reduce<tf.Tensor>((t, op) => {
    const next =
      op.kind === 'conv'
        ? conv(t, op.k, op.s, op.d, op.pad)
        : op.kind === 'pool'
          ? pool(t, op)
          : tf.add(conv(t, op.k1, 1, 1, 'same'), conv(t, op.k2, 1, op.d2, 'same'));
    // An empty intermediate (size 0) is a broken model even if padding later makes it non-empty.
    if (next.shape.slice(1, -1).some((d) => d <= 0))
      throw new Error(`empty intermediate ${JSON.stringify(next.shape)}`);
    return next;
  }, x);
}

/** fed[o] = the input positions (per axis, as [min, max] and the full set) that change output o. */
export function measure(rank: 1 | 2, size: number, ops: Op[]) {
  return tf.tidy(() => {
    const n = size ** rank;
    const x = tf
      .oneHot(tf.range(0, n, 1, 'int32'), n)
      .toFloat()
      .reshape(rank === 1 ? [n, size, 1] : [n, size, size, 1]);
    const y = forward(rank, x, ops);
    return { shape: y.shape.slice(1, -1), values: y.reshape([n, -1]).arraySync() as number[][] };
  });
}
