import { MAX_NESTING } from '../layer-spec';
import { isModelClass, modelLayers, type Config, type RawLayer } from './layer-list';
import { mapKerasLayer, type Mapped } from './layers';

/**
 * A Keras model used as a layer (a Sequential or Functional entry in another model's layers) →
 * the fields of a NestedModel: its layers (without its InputLayer, whose name becomes `input`),
 * its output, the shape it was built for and the `trainable` flags the file gives. Anything in
 * it that cannot be read makes the whole nested model unsupported, located at its inner layer.
 */
export function nestedFields(raw: RawLayer, depth = 0): Mapped {
  if (depth >= MAX_NESTING) return { unsupported: `models are nested more than ${MAX_NESTING} deep` };
  const read = modelLayers(raw.className, raw.config);
  if (typeof read === 'string') return { unsupported: `the nested model: ${read}` };
  const inputs = read.raws.filter((r) => r.className === 'InputLayer');
  if (inputs.length > 1)
    return { unsupported: `the nested model has ${inputs.length} inputs; ConvScope reads nested models with one` };
  if (read.outputs && read.outputs.length > 1)
    return {
      unsupported: `the nested model has ${read.outputs.length} outputs; ConvScope reads nested models with one`,
    };
  const inputName = inputs[0]?.name;
  const layers: Config[] = [];
  for (const r of read.raws) {
    if (r.className === 'InputLayer') continue;
    if (r.problems.length) return { unsupported: `inner layer '${r.name}': ${r.problems.join(' ')}` };
    const mapped = isModelClass(r.className) ? nestedFields(r, depth + 1) : mapKerasLayer(r.className, r.config);
    if ('unsupported' in mapped) return { unsupported: `inner layer '${r.name}': ${mapped.unsupported}` };
    layers.push({
      name: r.name,
      ...(r.inputs ? { inputs: r.inputs.map((n) => (n === inputName ? 'input' : n)) } : {}),
      ...trainable(r.config),
      layer: mapped.fields,
    });
  }
  const output = read.outputs?.[0];
  const batch = batchShape(inputs[0]?.config ?? read.raws[0]?.config);
  return {
    fields: {
      type: 'NestedModel',
      layers,
      ...(output !== undefined && output !== layers.at(-1)?.['name'] ? { output } : {}),
      ...(batch ? { inputShape: batch.slice(1) } : {}),
      ...trainable(raw.config),
    },
  };
}

function trainable(config: Config): { trainable?: boolean } {
  return typeof config['trainable'] === 'boolean' ? { trainable: config['trainable'] } : {};
}

function batchShape(config: Config | undefined): unknown[] | undefined {
  const batch = config?.['batch_shape'] ?? config?.['batch_input_shape'] ?? config?.['batchInputShape'];
  return Array.isArray(batch) ? batch : undefined;
}
