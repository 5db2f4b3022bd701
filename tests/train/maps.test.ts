import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetModel } from '../../src/presets';
import { activations } from '../../src/train/maps/activations';
import type { MapsImage } from '../../src/train/maps/protocol';
import { mnistSample } from '../../src/viz/samples';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function digit(n: number): MapsImage {
  const s = mnistSample(n);
  return { height: 28, width: 28, channels: 1, pixels: Uint8Array.from({ length: 784 }, (_, i) => s.rgba[i * 4] ?? 0) };
}

const spread = (m: Float32Array) => Math.max(...m) - Math.min(...m);

describe('feature maps of a model with its initial weights', () => {
  it('MNIST CNN on a real digit: conv1 has 32 channels of 28×28, each with real (non-constant) values', () => {
    const layers = activations(presetModel('mnist'), digit(7), 8);
    const conv1 = layers.find((l) => l.id === 'conv1');
    expect(conv1).toMatchObject({ channels: 32, height: 28, width: 28, shape: [28, 28, 32] });
    expect(conv1?.maps).toHaveLength(8);
    for (const m of conv1?.maps ?? []) expect(spread(m)).toBeGreaterThan(0.01);
    // The last layer: the 10 class scores as one vector.
    expect(layers[layers.length - 1]).toMatchObject({ channels: 1, height: 1, width: 10 });
  });

  it('ResNet-20 on a 32×32 colour image: layers inside blocks too, with the engine’s shapes', () => {
    const pixels = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 37) % 251);
    const layers = activations(presetModel('resnet20-a'), { height: 32, width: 32, channels: 3, pixels }, 4);
    const byId = new Map(layers.map((l) => [l.id, l]));
    expect(byId.get('stage2_block1/conv1')).toMatchObject({ channels: 32, height: 16, width: 16 });
    expect(byId.get('stage3_block3')).toMatchObject({ channels: 64, height: 8, width: 8 });
    expect(spread(byId.get('stage2_block1/conv1')!.maps[0]!)).toBeGreaterThan(0.01);
  });

  it('a channels-first model gives channels-last maps of the right size', () => {
    const mnist = presetModel('mnist');
    const model = {
      ...mnist,
      dataFormat: 'channels_first' as const,
      layers: mnist.layers.map((l) =>
        l.spec?.type === 'Input' ? { ...l, spec: { ...l.spec, shape: [1, 28, 28] } } : l,
      ),
    };
    const conv1 = activations(model, digit(3), 2).find((l) => l.id === 'conv1');
    expect(conv1).toMatchObject({ channels: 32, height: 28, width: 28 });
    expect(spread(conv1!.maps[1]!)).toBeGreaterThan(0.01);
  });
});
