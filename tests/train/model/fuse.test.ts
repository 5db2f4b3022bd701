import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fuseRelu } from '../../../src/train/model/fuse';
import { batchNormalization } from '../../../src/train/model/layers/batch-norm-layer';
import { fuseFollowingRelu } from '../../../src/train/model/layers/relu-fusion';
import { ConvScopeActivation } from '../../../src/train/model/layers/simple-layers';
import { activations } from '../../../src/train/maps/activations';
import { parseProject } from '../../../src/io/project/format';
import { analyze } from '../../helpers';
import { bnReluModel, FUSE_LAYERS, trainingCall } from './fuse-cases';
import { buildExact } from './helpers';

/**
 * Batch norm read only by a ReLU trains as one op where the backend has kernels for it (WebGPU,
 * tests/train/backend/webgpu-relu.test.ts); the model keeps both layers. Here, on the CPU
 * (no such kernels): which pairs are fused, that the model's layers, weights and feature maps
 * are those of the unfused graph, and that training gives exactly its numbers.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batch norm followed by ReLU', () => {
  it('fuses exactly the batch norms and Adds whose only reader is a ReLU', () => {
    const model = buildExact(analyze(FUSE_LAYERS), { seed: 3 });
    // Counted again on the built model: bn, block/bn1 and block/add qualify; bn2 (also read by
    // add), block/bn2 (read by the block's Add) and add (read by gap) do not.
    expect(fuseRelu(model)).toBe(3);
    const names = model.layers.map((l) => l.name);
    for (const name of ['bn', 'relu', 'block/bn1', 'block/relu1', 'bn2', 'r2']) expect(names).toContain(name);
    model.dispose();
  });

  it('a batch norm that is a model output as well is not fused', () => {
    const x = tf.input({ shape: [4, 3] });
    const bn = batchNormalization({});
    const y = bn.apply(x) as tf.SymbolicTensor;
    const z = new ConvScopeActivation({ name: 'act', activation: 'relu', alpha: null }).apply(y) as tf.SymbolicTensor;
    expect(fuseRelu(tf.model({ inputs: x, outputs: [z, y] }))).toBe(0);
    expect(fuseRelu(tf.model({ inputs: x, outputs: z }))).toBe(1);
  });

  it('trains to exactly the numbers of the unfused graph on the CPU (values, gradients, moving statistics)', () => {
    for (const [batch, channels] of [
      [1, 5],
      [4, 8],
    ] as const) {
      const fused = bnReluModel('fused', [6, 5, 3], channels, 7);
      const plain = bnReluModel('ours', [6, 5, 3], channels, 7);
      // The same weights in the same order (tfjs numbers each new layer's name).
      const kinds = (m: tf.LayersModel) => m.weights.map((w) => w.originalName.replace(/\d+/g, ''));
      expect(kinds(fused)).toEqual(kinds(plain));
      const values = (m: tf.LayersModel) => trainingCall(m, batch, 11).map((t) => Array.from(t.dataSync()));
      expect(values(fused)).toEqual(values(plain));
      fused.dispose();
      plain.dispose();
    }
  });

  it("the feature maps still show batch norm's own output and the ReLU's", () => {
    const read = parseProject({
      format: 'convscope.model',
      version: 1,
      dataFormat: 'channels_last',
      layers: FUSE_LAYERS,
    });
    if (!read.ok) throw new Error(read.error);
    const pixels = Uint8Array.from({ length: 90 }, (_, i) => (i * 37) % 256);
    const maps = activations(read.model, { height: 6, width: 5, channels: 3, pixels }, 7);
    const least = (id: string) => {
      const layer = maps.find((m) => m.id === id);
      if (!layer) throw new Error(`no maps for ${id}`);
      return Math.min(...layer.maps.flatMap((m) => Array.from(m)));
    };
    expect(least('bn')).toBeLessThan(0);
    expect(least('relu')).toBe(0);
    expect(least('block/bn1')).toBeLessThan(0);
    expect(least('block/relu1')).toBe(0);
  });

  it('refuses a layer that is not our batch norm', () => {
    expect(() => fuseFollowingRelu(tf.layers.batchNormalization({}))).toThrow(/cannot apply a following ReLU itself/);
  });
});
