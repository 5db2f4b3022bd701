import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { windowModel } from '../../../src/ui/views/conv/model';
import { exampleInput, exampleWeight } from '../../../src/viz/conv-frames';
import { analyze, layerOf } from '../../helpers';

/**
 * The convolution animation against TensorFlow.js: the number of frames (counted by sliding the
 * window over the padded input) equals the engine's output size, and every frame's worked sum
 * equals tfjs' own convolution or pooling of the same example numbers.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  readonly rank: 1 | 2;
  readonly size: number;
  readonly channels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: 'same' | 'valid' | 'causal' | number;
  readonly kind: 'conv' | 'max' | 'average';
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    rank: fc.constantFrom(1 as const, 2 as const),
    size: fc.integer({ min: 3, max: 9 }),
    channels: fc.integer({ min: 1, max: 3 }),
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom('same' as const, 'valid' as const, 'causal' as const, 0, 1, 2),
    kind: fc.constantFrom('conv' as const, 'max' as const, 'average' as const),
  })
  .map((c) => ({
    ...c,
    // tfjs (like Keras) refuses stride > 1 together with dilation > 1; pools do not dilate.
    dilation: c.kind === 'conv' && c.stride === 1 ? c.dilation : 1,
    padding: c.padding === 'causal' && (c.rank === 2 || c.kind !== 'conv') ? 'valid' : c.padding,
  }))
  .filter((c) => typeof c.padding !== 'number' || c.padding < c.kernel)
  .filter((c) => c.size >= (c.kernel - 1) * c.dilation + 1);

function layerFor(c: Case) {
  const type = { conv: 'Conv', max: 'MaxPooling', average: 'AveragePooling' }[c.kind] + `${c.rank}D`;
  const fields =
    c.kind === 'conv'
      ? { filters: 1, kernelSize: c.kernel, strides: c.stride, dilationRate: c.dilation }
      : { poolSize: c.kernel, strides: c.stride };
  const input = c.rank === 1 ? [c.size, c.channels] : [c.size, c.size, c.channels];
  return analyze([
    { name: 'input', type: 'Input', shape: input },
    { name: 'layer', type, padding: c.padding, ...fields },
  ]);
}

/** The example numbers as a tfjs tensor, [1, …spatial, channels]. */
function exampleTensor(c: Case): tf.Tensor {
  const positions = c.rank === 1 ? [...Array(c.size).keys()].map((i) => [i]) : grid(c.size);
  const values = positions.flatMap((p) => [...Array(c.channels).keys()].map((ch) => exampleInput(ch, p)));
  return tf.tensor(values, [1, ...positions[positions.length - 1]!.map(() => c.size), c.channels]);
}

function grid(size: number): number[][] {
  return [...Array(size).keys()].flatMap((i) => [...Array(size).keys()].map((j) => [i, j]));
}

/** tfjs' result for the case, on the input padded exactly as the engine pads it. */
function tfjsResult(c: Case, padding: readonly (readonly [number, number])[]): number[] {
  return tf.tidy(() => {
    const x = exampleTensor(c);
    if (c.kind === 'average' && c.padding === 'same') {
      // TF's 'same' average pooling divides by the real cells only: let tfjs pad.
      return Array.from(
        (c.rank === 1
          ? tf.avgPool(x.reshape([1, c.size, 1, c.channels]) as tf.Tensor4D, [c.kernel, 1], [c.stride, 1], 'same')
          : tf.avgPool(x as tf.Tensor4D, c.kernel, c.stride, 'same')
        ).dataSync(),
      );
    }
    const fill = c.kind === 'max' ? -Infinity : 0;
    const padded = tf.pad(x, [[0, 0], ...padding.map((p) => [p[0], p[1]] as [number, number]), [0, 0]], fill);
    const as2d = (c.rank === 1 ? padded.expandDims(2) : padded) as tf.Tensor4D;
    const window: [number, number] = c.rank === 1 ? [c.kernel, 1] : [c.kernel, c.kernel];
    const strides: [number, number] = c.rank === 1 ? [c.stride, 1] : [c.stride, c.stride];
    if (c.kind === 'max') return Array.from(tf.maxPool(as2d, window, strides, 'valid').dataSync());
    if (c.kind === 'average') return Array.from(tf.avgPool(as2d, window, strides, 'valid').dataSync());
    const taps = c.rank === 1 ? [...Array(c.kernel).keys()].map((t) => [t]) : grid(c.kernel);
    const weights = taps.flatMap((t) => [...Array(c.channels).keys()].map((ch) => exampleWeight(ch, t)));
    const filter = tf.tensor4d(weights, [...window, c.channels, 1]);
    const dilations: [number, number] = c.rank === 1 ? [c.dilation, 1] : [c.dilation, c.dilation];
    return Array.from(tf.conv2d(as2d, filter, strides, 'valid', 'NHWC', dilations).dataSync());
  });
}

describe('convolution animation', () => {
  it('has one frame per output position and the sums tfjs computes, for same, valid, causal and explicit padding', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(caseArb, (c) => {
        const analysis = layerFor(c);
        const layer = layerOf(analysis, 'layer');
        expect(layer.output, JSON.stringify(c)).not.toBeNull();
        const model = windowModel(layer, 'channels_last');
        expect(model).not.toBeNull();
        const spatial = layer.output!.slice(0, -1) as number[];
        expect(model!.slide.outputSizes).toEqual(spatial);
        expect(model!.slide.frames).toBe(spatial.reduce((a, b) => a * b, 1));
        const padding = layer.geometry!.map((g) => g.padding!);
        // Pools keep channels apart; the animation draws channel 1.
        const expected = tfjsResult(c, padding).filter((_, i) => c.kind === 'conv' || i % c.channels === 0);
        const ours = Array.from({ length: model!.slide.frames }, (_, n) => model!.compute(n).value);
        expected.forEach((v, n) => expect(ours[n], `${JSON.stringify(c)} frame ${n}`).toBeCloseTo(v, 2));
        seen.add(`${c.kind}:${c.padding}`);
      }),
      { numRuns: 300, seed: 7 },
    );
    for (const padding of ['same', 'valid', 'causal', '1'])
      expect([...seen].some((s) => s.endsWith(`:${padding}`))).toBe(true);
  });

  it('draws a transposed convolution as a stride-1 convolution over the zero-inserted input', () => {
    for (const [size, kernel, stride] of [
      [4, 3, 2],
      [5, 2, 3],
      [3, 3, 1],
    ] as const) {
      const analysis = analyze([
        { name: 'input', type: 'Input', shape: [size, size, 1] },
        { name: 'up', type: 'Conv2DTranspose', filters: 1, kernelSize: kernel, strides: stride },
      ]);
      const layer = layerOf(analysis, 'up');
      const model = windowModel(layer, 'channels_last')!;
      expect(model.slide.outputSizes).toEqual(layer.output!.slice(0, 2));
      // The drawn kernel, turned 180°, is the transposed convolution's kernel (Dumoulin & Visin 2016, §4).
      const taps = grid(kernel);
      const flipped = taps.map(([a, b]) => exampleWeight(0, [kernel - 1 - a!, kernel - 1 - b!]));
      const expected = tf.tidy(() =>
        Array.from(
          tf
            .conv2dTranspose(
              exampleTensor({ rank: 2, size, channels: 1 } as Case) as tf.Tensor4D,
              tf.tensor4d(flipped, [kernel, kernel, 1, 1]),
              [1, ...layer.output!.slice(0, 2), 1] as [number, number, number, number],
              stride,
              'valid',
            )
            .dataSync(),
        ),
      );
      expected.forEach((v, n) => expect(model.compute(n).value, `k${kernel} s${stride} frame ${n}`).toBeCloseTo(v, 4));
    }
  });
});
