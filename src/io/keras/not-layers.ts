/**
 * TensorFlow.js model.json files that hold no Keras layers, told apart so that the refusal names
 * the real cause: a graph model (the converter's `tfjs_graph_model` output: TensorFlow ops in a
 * GraphDef, `modelTopology.node`) or weights without an architecture (`modelTopology: null`).
 */
type Config = Record<string, unknown>;

const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `data` is a model.json ConvScope cannot read as layers, or undefined when it may be one. */
export function notLayersModel(data: Config): string | undefined {
  const topology = data['modelTopology'];
  if (data['format'] === 'graph-model' || (isRecord(topology) && Array.isArray(topology['node']))) {
    return (
      'This is a TensorFlow.js graph model (TensorFlow operations, not Keras layers), which ConvScope cannot analyse. ' +
      'Open the Keras model it came from instead: save it with model.to_json() or model.save(), or convert it with ' +
      'tensorflowjs_converter --output_format=tfjs_layers_model.'
    );
  }
  if ('modelTopology' in data && (topology === null || topology === undefined) && 'weightsManifest' in data) {
    return (
      'This model.json holds weights but no architecture ("modelTopology" is null), so there are no layers to analyse. ' +
      'Open the file that describes the layers: model.to_json() of the Keras model, or a model.json saved with its topology.'
    );
  }
  return undefined;
}
