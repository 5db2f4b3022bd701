import type { Analysis } from '../../engine/analysis/result';
import { kerasGraph, type KerasGraph, type KerasLambda, type KerasLayer } from './keras-graph';
import { pyDocText, pyString, pythonLiteral, pythonNames } from './python-text';
import type { ExportResult } from './problems';

/**
 * Keras Python code for the model (Keras 3; `import keras`): Sequential for a stack,
 * functional otherwise, with the same layers and arguments as the exported Keras JSON.
 */
export function toKerasPython(analysis: Analysis): ExportResult<string> {
  const graph = kerasGraph(analysis);
  return graph.ok ? { ok: true, value: renderPython(graph.value) } : graph;
}

/** Keras 3 spells some legacy arguments differently. */
function keras3(layer: KerasLayer): Record<string, unknown> {
  const config: Record<string, unknown> = { ...layer.config };
  if (layer.className === 'LeakyReLU') {
    config['negative_slope'] = config['alpha'];
    delete config['alpha'];
  }
  return config;
}

/** A Lambda for what Keras 3 has no layer for, its output shape given (batch excluded). */
function lambdaConstructor(layer: KerasLayer, lambda: KerasLambda): string {
  const args = [`lambda x: ${lambda.code}`];
  const shape = lambda.outputShape;
  if (shape?.every((d) => d !== null)) args.push(`output_shape=${pythonLiteral(shape)}`);
  if (layer.trainable === false) args.push('trainable=False');
  args.push(`name=${pyString(layer.name)}`);
  return `layers.Lambda(${args.join(', ')})`;
}

function constructor(layer: KerasLayer): string {
  if (layer.lambda) return lambdaConstructor(layer, layer.lambda);
  const config = keras3(layer);
  if (layer.className === 'TimeDistributed' || layer.className === 'Bidirectional') {
    const { layer: wrapped, ...rest } = config;
    const inner = wrapped as { class_name: string; config: Record<string, unknown> };
    const { name: _name, ...innerConfig } = inner.config;
    const args = [
      constructor({ name: '', className: inner.class_name, config: innerConfig, inputs: [] }),
      ...Object.entries(rest).map(([k, v]) => `${k}=${pythonLiteral(v)}`),
    ];
    return `layers.${layer.className}(${args.join(', ')}, name=${pyString(layer.name)})`;
  }
  const args = Object.entries(config).map(([k, v]) => `${k}=${pythonLiteral(v)}`);
  if (layer.trainable === false) args.push('trainable=False');
  if (layer.name) args.push(`name=${pyString(layer.name)}`);
  return `layers.${layer.className}(${args.join(', ')})`;
}

function inputLine(layer: KerasLayer): string {
  const [batch, ...shape] = layer.config['batch_input_shape'] as unknown[];
  const fixed = typeof batch === 'number' ? `, batch_size=${batch}` : '';
  return `keras.Input(shape=${pythonLiteral(shape)}${fixed}, name=${pyString(layer.name)})`;
}

function renderPython(graph: KerasGraph): string {
  const head = [
    `"""${pyDocText(graph.name)}: a Keras model exported by ConvScope.`,
    '',
    'Run it to print the summary; import build_model() to use it.',
    '"""',
    'import keras',
    'from keras import layers',
    ...(graph.layers.some((l) => l.lambda?.tensorflow) ? ['import tensorflow as tf'] : []),
    '',
    '',
    'def build_model():',
  ];
  const body: string[] = [];
  if (graph.sequential) {
    body.push('    return keras.Sequential(', '        [');
    for (const layer of graph.layers) {
      if (layer.lambda) body.push(`            # ${layer.lambda.note}`);
      body.push(`            ${layer.className === 'InputLayer' ? inputLine(layer) : constructor(layer)},`);
    }
    body.push('        ],', `        name=${pyString(graph.name)},`, '    )');
  } else {
    const ids = pythonNames(graph.layers.map((l) => l.name));
    const id = (name: string) => ids.get(name) as string;
    for (const layer of graph.layers) {
      if (layer.className === 'InputLayer') {
        body.push(`    ${id(layer.name)} = ${inputLine(layer)}`);
        continue;
      }
      // Keyword inputs are separate arguments (`mha(query, value)`), merged inputs one list.
      const args =
        layer.inputs.length === 1 || layer.keywords
          ? layer.inputs.map(id).join(', ')
          : `[${layer.inputs.map(id).join(', ')}]`;
      if (layer.lambda) body.push(`    # ${layer.lambda.note}`);
      body.push(`    ${id(layer.name)} = ${constructor(layer)}(${args})`);
    }
    const inputs = graph.layers.filter((l) => l.className === 'InputLayer').map((l) => id(l.name));
    const outputs = graph.outputs.map(id);
    const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
    body.push(`    return keras.Model(inputs=${list(inputs)}, outputs=${list(outputs)}, name=${pyString(graph.name)})`);
  }
  return [...head, ...body, '', '', 'if __name__ == "__main__":', '    build_model().summary()', ''].join('\n');
}
