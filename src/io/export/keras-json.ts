import type { Analysis } from '../../engine/analysis/result';
import { kerasGraph, type KerasGraph, type KerasLayer } from './keras-graph';
import type { ExportResult } from './problems';

/**
 * Keras JSON in the layout of `model.to_json()` that both Keras 3 and TensorFlow.js read: no
 * `module` keys and list-style `inbound_nodes` (Keras 3 reads these as its "legacy" format;
 * TensorFlow.js reads nothing else).
 */
export function toKerasJson(analysis: Analysis): ExportResult<Record<string, unknown>> {
  const graph = kerasGraph(analysis);
  return graph.ok ? { ok: true, value: renderJson(graph.value) } : graph;
}

function layerConfig(layer: KerasLayer) {
  return { name: layer.name, trainable: layer.trainable ?? true, dtype: 'float32', ...layer.config };
}

function renderJson(graph: KerasGraph): Record<string, unknown> {
  const meta = { keras_version: '2.15.0', backend: 'tensorflow' };
  if (graph.sequential) {
    return {
      class_name: 'Sequential',
      config: {
        name: graph.name,
        layers: graph.layers.map((l) => ({ class_name: l.className, config: layerConfig(l) })),
      },
      ...meta,
    };
  }
  const inputs = graph.layers.filter((l) => l.className === 'InputLayer').map((l) => [l.name, 0, 0]);
  return {
    class_name: 'Functional',
    config: {
      name: graph.name,
      trainable: true,
      layers: graph.layers.map((l) => ({
        class_name: l.className,
        config: layerConfig(l),
        name: l.name,
        inbound_nodes: l.inputs.length ? [l.inputs.map((n) => [n, 0, 0, {}])] : [],
      })),
      input_layers: inputs,
      output_layers: graph.outputs.map((n) => [n, 0, 0]),
    },
    ...meta,
  };
}
