import type { DataFormat } from '../../engine/shape/shape';
import type { ModelLayer } from '../../engine/model/model';
import { validateLayerSpec } from '../layer-spec';
import { MAX_LAYERS, type ReadResult } from '../project/format';
import { inboundLayers } from './inbound';
import { mapKerasLayer } from './layers';

type Config = Record<string, unknown>;

interface RawLayer {
  readonly className: string;
  readonly config: Config;
  readonly name: string;
  readonly inputs?: string[];
  /** Problems found before the layer's own fields are read (wiring). */
  readonly problems: string[];
}

const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `data` looks like Keras JSON or a TensorFlow.js model.json. */
export function isKerasJson(data: unknown): boolean {
  return (
    isRecord(data) && (isRecord(data['modelTopology']) || (typeof data['class_name'] === 'string' && 'config' in data))
  );
}

/**
 * Imports a Keras model: `model.to_json()` of Keras 2 (tf.keras) and Keras 3, Sequential or
 * Functional, and TensorFlow.js' `model.toJSON()` or a model.json's `modelTopology`. Names and
 * the Keras layout (channels last) are kept; an unsupported layer becomes an invalid layer with
 * a located message, and the rest is still analysed.
 */
export function importKeras(data: unknown): ReadResult {
  const top = unwrap(data);
  if (!top)
    return {
      ok: false,
      error:
        'Not Keras JSON: expected "class_name" and "config" (model.to_json()) or a model.json with "modelTopology".',
    };
  const className = top['class_name'];
  const config = top['config'];
  const name = isRecord(config) && typeof config['name'] === 'string' ? config['name'] : 'model';
  let raws: RawLayer[] | string;
  let outputs: string[] | undefined;
  if (className === 'Sequential') {
    raws = sequentialLayers(config);
  } else if (className === 'Functional' || className === 'Model') {
    if (!isRecord(config) || !Array.isArray(config['layers']))
      return { ok: false, error: `config.layers: a ${className} model needs a list of layers.` };
    raws = functionalLayers(config['layers']);
    outputs = outputNames(config['output_layers']);
  } else {
    return {
      ok: false,
      error: `class_name: '${String(className)}' is not a Keras model (expected Sequential, Functional or Model).`,
    };
  }
  if (typeof raws === 'string') return { ok: false, error: raws };
  if (raws.length === 0) return { ok: false, error: 'config.layers: the model has no layers.' };
  if (raws.length > MAX_LAYERS)
    return {
      ok: false,
      error: `config.layers: the model has ${raws.length.toLocaleString('en-US')} layers; ConvScope reads models of at most ${MAX_LAYERS.toLocaleString('en-US')} layers.`,
    };
  const dataFormat = modelDataFormat(raws);
  return {
    ok: true,
    model: {
      name,
      dataFormat,
      layers: raws.map((r, i) => toModelLayer(r, i, dataFormat)),
      ...(outputs ? { outputs } : {}),
    },
  };
}

function unwrap(data: unknown): Config | undefined {
  if (!isRecord(data)) return undefined;
  let top: unknown = isRecord(data['modelTopology']) ? data['modelTopology'] : data;
  if (isRecord(top) && isRecord(top['model_config'])) top = top['model_config'];
  return isRecord(top) && typeof top['class_name'] === 'string' ? top : undefined;
}

/**
 * A layer's name as `inbound_nodes` refer to it: the entry's own `name`, which may differ from
 * `config.name` (TensorFlowOpLayer: entry `tf_op_layer_Relu`, config `Relu`); `config.name` only
 * when the entry has none (Sequential entries of older files).
 */
function entryName(entry: Config, config: Config, fallback: string): string {
  const own = entry['name'];
  if (typeof own === 'string' && own !== '') return own;
  const name = config['name'];
  return typeof name === 'string' && name !== '' ? name : fallback;
}

function sequentialLayers(config: unknown): RawLayer[] | string {
  const list = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
  if (!Array.isArray(list)) return 'config.layers: a Sequential model needs a list of layers.';
  const entries = list.filter(isRecord);
  const raws: RawLayer[] = entries.map((entry, i) => {
    const layerConfig = isRecord(entry['config']) ? entry['config'] : {};
    return {
      className: String(entry['class_name']),
      config: layerConfig,
      name: entryName(entry, layerConfig, `layer_${i}`),
      problems: [],
    };
  });
  if (raws.length === 0 || raws[0]?.className === 'InputLayer') return raws;
  const first = raws[0]?.config ?? {};
  const shape =
    first['batch_input_shape'] ?? first['batch_shape'] ?? (isRecord(config) ? config['build_input_shape'] : undefined);
  if (!Array.isArray(shape)) {
    return 'This Sequential model has no input shape (it was saved before it was built). Give its first layer an input_shape, or start it with an InputLayer.';
  }
  const inputName = `${isRecord(config) && typeof config['name'] === 'string' ? config['name'] : 'sequential'}_input`;
  return [{ className: 'InputLayer', config: { batch_input_shape: shape }, name: inputName, problems: [] }, ...raws];
}

function functionalLayers(list: readonly unknown[]): RawLayer[] {
  return list.filter(isRecord).map((entry, i) => {
    const config = isRecord(entry['config']) ? entry['config'] : {};
    const className = String(entry['class_name']);
    const name = entryName(entry, config, `layer_${i}`);
    if (className === 'InputLayer') return { className, config, name, inputs: [], problems: [] };
    const nodes = inboundLayers(entry['inbound_nodes']);
    const problems: string[] = [];
    if (nodes.length > 1)
      problems.push(`'${name}' is applied ${nodes.length} times (a shared layer); ConvScope analyses each layer once.`);
    return { className, config, name, inputs: nodes[0] ?? [], problems };
  });
}

function outputNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (typeof value[0] === 'string') return [value[0]];
  const names = value
    .filter(Array.isArray)
    .map((o) => o[0])
    .filter((n): n is string => typeof n === 'string');
  return names.length ? names : undefined;
}

/**
 * Keras layers may each say `data_format`; a model that mixes them is flagged per layer. Flatten's
 * `data_format` only chooses the order of the flattened values, not the model's layout.
 */
function layoutOf(raw: RawLayer): unknown {
  return raw.className === 'Flatten' ? undefined : raw.config['data_format'];
}

function modelDataFormat(raws: readonly RawLayer[]): DataFormat {
  return raws.some((r) => layoutOf(r) === 'channels_first') ? 'channels_first' : 'channels_last';
}

function toModelLayer(raw: RawLayer, index: number, dataFormat: DataFormat): ModelLayer {
  const wiring = {
    name: raw.name,
    sourceClass: raw.className,
    ...(raw.inputs && raw.className !== 'InputLayer' ? { inputs: raw.inputs } : {}),
  };
  const problems = [...raw.problems];
  const format = layoutOf(raw);
  if ((format === 'channels_last' || format === 'channels_first') && format !== dataFormat) {
    problems.push(
      `data_format '${format}' differs from the rest of the model ('${dataFormat}'); ConvScope needs one layout per model.`,
    );
  }
  const mapped = raw.className === 'InputLayer' ? inputFields(raw.config) : mapKerasLayer(raw.className, raw.config);
  if ('unsupported' in mapped) problems.push(`${mapped.unsupported}.`);
  const spec = 'fields' in mapped ? validateLayerSpec(mapped.fields) : undefined;
  if (spec?.ok && problems.length === 0) return { ...wiring, spec: spec.spec };
  return {
    ...wiring,
    spec: null,
    type: raw.className,
    problems: [...problems, ...(spec && !spec.ok ? spec.problems : [])].map(
      (p) => `layers[${index}] ('${raw.name}'): ${p}`,
    ),
    raw: { type: raw.className, ...raw.config },
  };
}

function inputFields(config: Config) {
  const batch = config['batch_shape'] ?? config['batch_input_shape'] ?? config['batchInputShape'];
  if (!Array.isArray(batch)) return { unsupported: 'the InputLayer has no batch_shape' };
  const size: unknown = batch[0];
  return {
    fields: {
      type: 'Input',
      shape: batch.slice(1),
      ...(size === null || size === undefined ? {} : { batchSize: size }),
    },
  };
}
