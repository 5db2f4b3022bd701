import type { Analysis } from '../../engine/analysis/result';
import { kerasGraph, type KerasGraph, type KerasLayer } from './keras-graph';
import { ProblemList, type ExportResult } from './problems';

/**
 * Keras JSON in the layout of `model.to_json()` that both Keras 3 and TensorFlow.js read: no
 * `module` keys and list-style `inbound_nodes` (Keras 3 reads these as its "legacy" format;
 * TensorFlow.js reads nothing else).
 */
export function toKerasJson(analysis: Analysis): ExportResult<Record<string, unknown>> {
  const graph = kerasGraph(analysis);
  if (!graph.ok) return graph;
  const problems = new ProblemList();
  for (const layer of graph.value.layers) if (layer.notInJson) problems.add(layer.name, layer.notInJson);
  return problems.result(renderJson(graph.value));
}

/**
 * A node's inbound tensors as Keras 2 writes them: the first as the node's tensor, the others
 * as keyword arguments of that call (`mha(q, value=v)` is `[q, 0, 0, {value: [v, 0, 0]}]`).
 */
function inboundNodes(layer: KerasLayer): unknown[] {
  if (!layer.inputs.length) return [];
  if (!layer.keywords) return [layer.inputs.map((n) => [n, 0, 0, {}])];
  const [first, ...rest] = layer.inputs;
  const kwargs = Object.fromEntries(rest.map((n, i) => [layer.keywords?.[i] ?? `arg${i}`, [n, 0, 0]]));
  return [[[first, 0, 0, kwargs]]];
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
        inbound_nodes: inboundNodes(l),
      })),
      input_layers: inputs,
      output_layers: graph.outputs.map((n) => [n, 0, 0]),
    },
    ...meta,
  };
}
