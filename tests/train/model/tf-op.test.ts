import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELEMENTWISE_OPS } from '../../../src/engine/layers/tf-op';
import { buildExact } from './helpers';
import { analyze } from '../../helpers';
import { maxDiff, tensorOf } from './reference';
import { BINARY, MATH } from './tf-op-math';

/**
 * TensorFlow ops in a built model against independent references: each element-wise op against
 * JavaScript's Math on every element (the constant on either side), DepthToSpace against tfjs'
 * own kernel (tf.depthToSpace, TensorFlow's NHWC channel order) and SpaceToDepth as its inverse.
 * PyTorch's pixel_shuffle is compared in sequence-torch.test.ts.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The model x → op, run on x; x positive where the op needs it. */
function runOp(fields: Record<string, unknown>, x: tf.Tensor): Float32Array {
  const model = buildExact(
    analyze([
      { name: 'x', type: 'Input', shape: x.shape.slice(1) },
      { name: 'op', type: 'TensorFlowOp', ...fields },
    ]),
  );
  const y = model.predict(x) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([y]);
  model.dispose();
  return out;
}

describe('element-wise TensorFlow ops = Math on every element', () => {
  // Positive, away from 0: Sqrt, Log, Rsqrt, Pow and RealDiv are defined and tame there.
  const x = tf.add(tf.abs(tensorOf([2, 3, 4], 1)), 0.25);
  const xs = Array.from(x.dataSync());
  for (const op of ELEMENTWISE_OPS) {
    const sides = BINARY.has(op) ? [false, true] : [false];
    for (const constantFirst of sides) {
      it(`${op}${BINARY.has(op) ? (constantFirst ? ' with the constant first' : ' with the constant second') : ''}`, () => {
        const c = 0.75;
        const fields = BINARY.has(op) ? { op, constant: c, constantFirst } : { op };
        const want = xs.map((v) => (constantFirst ? MATH[op](c, v) : MATH[op](v, c)));
        expect(maxDiff(runOp(fields, x), want)).toBeLessThan(1e-5 * Math.max(1, ...want.map(Math.abs)));
      });
    }
  }
});

describe('DepthToSpace and SpaceToDepth', () => {
  it("DepthToSpace = tfjs' tf.depthToSpace (NHWC), block 2 and 3", () => {
    for (const [b, shape] of [
      [2, [2, 3, 4, 8]],
      [3, [1, 2, 3, 18]],
    ] as const) {
      const x = tensorOf([...shape], b);
      const want = tf.depthToSpace(x as tf.Tensor4D, b, 'NHWC');
      expect(maxDiff(runOp({ op: 'DepthToSpace', blockSize: b }, x), want.dataSync())).toBe(0);
    }
  });

  it('SpaceToDepth undoes DepthToSpace', () => {
    const x = tensorOf([2, 3, 4, 8], 7);
    const spread = tf.depthToSpace(x as tf.Tensor4D, 2, 'NHWC');
    expect(maxDiff(runOp({ op: 'SpaceToDepth', blockSize: 2 }, spread), x.dataSync())).toBe(0);
  });
});
