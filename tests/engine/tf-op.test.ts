import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { explainSequenceLayer } from '../../src/engine/analysis/explain-sequence';
import type { SequenceSpec } from '../../src/engine/layers/registry';
import { diagnosticText } from '../../src/engine/model/diagnostic';
import { importKeras } from '../../src/io/keras/import';
import { analyze, layerOf } from '../helpers';

/**
 * Keras 2's TensorFlowOpLayer (raw TensorFlow ops in a functional model). Shapes of
 * DepthToSpace and SpaceToDepth against TensorFlow's documentation (tf.nn.depth_to_space,
 * tf.nn.space_to_depth: [1, 2, 2, 4] ↔ [1, 4, 4, 1] with block size 2).
 */
describe('TensorFlowOp', () => {
  it("DepthToSpace and SpaceToDepth give TensorFlow's documented shapes", () => {
    const a = analyze([
      { name: 'x', type: 'Input', shape: [2, 2, 4] },
      { name: 'd2s', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
      { name: 's2d', type: 'TensorFlowOp', op: 'SpaceToDepth', blockSize: 2 },
    ]);
    expect(layerOf(a, 'd2s').output).toEqual([4, 4, 1]);
    expect(layerOf(a, 's2d').output).toEqual([2, 2, 4]);
    expect(a.totals.params).toBe(0);
  });

  it('channels that do not split into b×b blocks are a located error', () => {
    const a = analyze([
      { name: 'x', type: 'Input', shape: [8, 8, 6] },
      { name: 'd2s', type: 'TensorFlowOp', op: 'DepthToSpace', blockSize: 2 },
    ]);
    expect(a.diagnostics[0]).toMatchObject({ layer: 'd2s', code: 'indivisible' });
  });

  it("a constant the file holds: its weight in PyTorch's N×C×… order, warned only where it has no neutral start", () => {
    const a = analyze([
      { name: 'x', type: 'Input', shape: [5, 6, 3] },
      { name: 'scale', type: 'TensorFlowOp', op: 'Mul', constantShape: [3] },
      { name: 'shift', type: 'TensorFlowOp', op: 'Sub', constantShape: [1, 6, 1] },
      { name: 'floor', type: 'TensorFlowOp', op: 'Maximum', constantShape: [1, 1, 3] },
    ]);
    // Aligned from the last axis (NumPy broadcasting), padded to N×H×W×C, then C moved after N.
    expect(layerOf(a, 'scale').weights[0]?.pytorch.shape).toEqual([1, 3, 1, 1]);
    // [1, 6, 1] against N×5×6×3 is one per column W: N×C×H×W 1×1×1×6.
    expect(layerOf(a, 'shift').weights[0]?.pytorch.shape).toEqual([1, 1, 1, 6]);
    expect(layerOf(a, 'shift').weights[0]?.keras.shape).toEqual([1, 6, 1]);
    expect(a.totals.params).toBe(3 + 6 + 3);
    expect(a.diagnostics).toMatchObject([{ layer: 'floor', severity: 'warning', code: 'unknown-constant' }]);
    const cf = analyze(
      [
        { name: 'x', type: 'Input', shape: [3, 5, 6] },
        { name: 'scale', type: 'TensorFlowOp', op: 'Mul', constantShape: [3, 1, 1] },
      ],
      'channels_first',
    );
    expect(layerOf(cf, 'scale').weights[0]?.pytorch.shape).toEqual([3, 1, 1]);
    // "Why this shape" says the constant is learnt and where it starts.
    const spec = layerOf(cf, 'scale').spec as SequenceSpec;
    expect(explainSequenceLayer(spec, null)).toContain('a learnt constant of shape [3, 1, 1]');
    expect(explainSequenceLayer(spec, null)).toContain('start it at 1');
  });

  const layer = (name: string, op: string, inputs: string[], extra: Record<string, unknown> = {}) => ({
    class_name: 'TensorFlowOpLayer',
    name,
    config: { name, trainable: true, dtype: 'float32', node_def: { name, op, input: inputs, attr: {} }, ...extra },
    inbound_nodes: [inputs.map((i) => [i, 0, 0, {}])],
  });

  it('imports Keras 2 JSON: Relu as an activation, Mul by a constant, AddV2 of two tensors, DepthToSpace', () => {
    const read = importKeras({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_input_shape: [null, 6, 6, 8] },
            inbound_nodes: [],
          },
          layer('Relu', 'Relu', ['x']),
          layer('Mul', 'Mul', ['Relu'], { constants: { 1: 0.5 } }),
          layer('AddV2', 'AddV2', ['Mul', 'x']),
          {
            ...layer('DepthToSpace', 'DepthToSpace', ['AddV2']),
            config: {
              name: 'DepthToSpace',
              node_def: { op: 'DepthToSpace', attr: { block_size: { i: '2' }, data_format: { s: 'TkhXQw==' } } },
              constants: {},
            },
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['DepthToSpace', 0, 0]],
      },
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const a = analyzeModel(read.model);
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.map((l) => l.spec?.type)).toEqual(['Input', 'Activation', 'TensorFlowOp', 'Add', 'TensorFlowOp']);
    expect(layerOf(a, 'DepthToSpace').output).toEqual([12, 12, 2]);
    expect(layerOf(a, 'DepthToSpace').type).toBe('TensorFlowOpLayer');
  });

  it('an op ConvScope does not know is a located message naming it', () => {
    const read = importKeras({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_input_shape: [null, 4] },
            inbound_nodes: [],
          },
          layer('Cumsum', 'Cumsum', ['x']),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['Cumsum', 0, 0]],
      },
    });
    if (!read.ok) throw new Error(read.error);
    const d = analyzeModel(read.model).diagnostics[0];
    expect(d).toMatchObject({ layer: 'Cumsum', severity: 'error' });
    expect(diagnosticText(d!, 'channels_last', 'keras')).toContain("TensorFlow op 'Cumsum'");
  });

  it("keeps a Keras file's scalar constant and its side; a tensor constant leaves a warning", () => {
    const read = importKeras({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_input_shape: [null, 4] },
            inbound_nodes: [],
          },
          // x * 0.5 (constant at operand 1), 1 - x (at operand 0), x + [1, 2, 3, 4] (a tensor).
          layer('Mul', 'Mul', ['x'], { constants: { 1: 0.5 } }),
          layer('Sub', 'Sub', ['Mul'], { constants: { 0: 1 } }),
          layer('AddV2', 'AddV2', ['Sub'], { constants: { 1: [1, 2, 3, 4] } }),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['AddV2', 0, 0]],
      },
    });
    if (!read.ok) throw new Error(read.error);
    const a = analyzeModel(read.model);
    expect(layerOf(a, 'Mul').spec).toMatchObject({ op: 'Mul', constant: 0.5 });
    expect(layerOf(a, 'Mul').spec).not.toHaveProperty('constantFirst');
    expect(layerOf(a, 'Sub').spec).toMatchObject({ op: 'Sub', constant: 1, constantFirst: true });
    expect(layerOf(a, 'AddV2').spec).not.toHaveProperty('constant');
    expect(a.diagnostics).toMatchObject([{ layer: 'AddV2', severity: 'warning', code: 'unknown-constant' }]);
    expect(layerOf(a, 'AddV2').output).toEqual([4]);
  });
});
