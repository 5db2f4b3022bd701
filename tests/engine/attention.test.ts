import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { importKeras } from '../../src/io/keras/import';
import { analyze, layerOf } from '../helpers';

/**
 * MultiHeadAttention, which tfjs-layers lacks: published numbers (BERT-base's self-attention,
 * the Keras documentation's example) and Keras' own functional JSON in both the Keras 2 form
 * (value passed as a keyword argument) and the Keras 3 form. PyTorch's count is checked where
 * nn.MultiheadAttention holds the same weights, in tests/io/export-pytorch.test.ts.
 */
const selfAttention = (extra: Record<string, unknown>, input = [128, 768]) =>
  analyze([
    { name: 'x', type: 'Input', shape: input },
    { name: 'mha', type: 'MultiHeadAttention', inputs: ['x', 'x'], ...extra },
  ]);

describe('MultiHeadAttention', () => {
  it("BERT-base's self-attention: 12 heads of 64 on 768 features have 2,362,368 parameters", () => {
    // Devlin et al. 2019, BERT-base: per layer, Q, K, V and output projections 768×768 with biases.
    const mha = layerOf(selfAttention({ numHeads: 12, keyDim: 64 }), 'mha');
    expect(mha.output).toEqual([128, 768]);
    expect(mha.params).toBe(2_362_368);
  });

  it("the Keras documentation's example: target 8×16 attending to source 4×16 gives 8×16", () => {
    // keras.io/api/layers/attention_layers/multi_head_attention: num_heads=2, key_dim=2.
    const a = analyze([
      { name: 'target', type: 'Input', shape: [8, 16] },
      { name: 'source', type: 'Input', shape: [4, 16] },
      { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 2, inputs: ['target', 'source'] },
    ]);
    expect(a.diagnostics).toEqual([]);
    expect(layerOf(a, 'mha').output).toEqual([8, 16]);
  });

  it('an explicit output size and a separate key change only the projections they touch', () => {
    const a = analyze([
      { name: 'q', type: 'Input', shape: [5, 8] },
      { name: 'v', type: 'Input', shape: [7, 6] },
      { name: 'k', type: 'Input', shape: [7, 3] },
      {
        name: 'mha',
        type: 'MultiHeadAttention',
        numHeads: 2,
        keyDim: 4,
        valueDim: 5,
        outputShape: 9,
        inputs: ['q', 'v', 'k'],
      },
    ]);
    expect(layerOf(a, 'mha').output).toEqual([5, 9]);
    expect(layerOf(a, 'mha').weights.map((w) => w.keras.shape)).toEqual([
      [8, 2, 4],
      [2, 4],
      [3, 2, 4],
      [2, 4],
      [6, 2, 5],
      [2, 5],
      [2, 5, 9],
      [9],
    ]);
  });

  it('key and value of different lengths are a located error', () => {
    const a = analyze([
      { name: 'q', type: 'Input', shape: [5, 8] },
      { name: 'v', type: 'Input', shape: [7, 8] },
      { name: 'k', type: 'Input', shape: [6, 8] },
      { name: 'mha', type: 'MultiHeadAttention', numHeads: 2, keyDim: 4, inputs: ['q', 'v', 'k'] },
    ]);
    expect(a.diagnostics[0]).toMatchObject({ layer: 'mha', severity: 'error', code: 'shape-mismatch' });
  });

  const config = { name: 'mha', num_heads: 4, key_dim: 8, value_dim: null, use_bias: true, output_shape: null };
  const input = { class_name: 'InputLayer', name: 'x', config: { name: 'x', batch_input_shape: [null, 10, 32] } };

  it('imports from Keras 2 JSON, where the value is a keyword argument', () => {
    const read = importKeras({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { ...input, inbound_nodes: [] },
          {
            class_name: 'MultiHeadAttention',
            name: 'mha',
            config,
            inbound_nodes: [[['x', 0, 0, { value: ['x', 0, 0] }]]],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const a = analyzeModel(read.model);
    expect(a.diagnostics).toEqual([]);
    // Q, K, V: 32×32 + 32 each; output 32×32 + 32.
    expect(layerOf(a, 'mha').params).toBe(4 * (32 * 32 + 32));
  });

  it('imports from Keras 3 JSON (args query and value)', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { keras_history: [name, 0, 0] } });
    const read = importKeras({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { ...input, config: { name: 'x', batch_shape: [null, 10, 32] }, inbound_nodes: [] },
          {
            class_name: 'MultiHeadAttention',
            name: 'mha',
            config,
            inbound_nodes: [{ args: [tensor('x'), tensor('x')], kwargs: {} }],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    });
    expect(read.ok).toBe(true);
    if (read.ok) expect(layerOf(analyzeModel(read.model), 'mha').output).toEqual([10, 32]);
  });
});
