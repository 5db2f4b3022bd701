import type { DataFormat } from '../../engine/shape/shape';
import type { ModelLayer } from '../../engine/model/model';
import { MAX_NESTING, validateLayerSpec } from '../layer-spec';
import { MAX_LAYERS, type ReadResult } from '../project/format';
import { firstBatchShape, isModelClass, isRecord, modelLayers, type Config, type RawLayer } from './layer-list';
import { mapKerasLayer } from './layers';
import { nestedFields } from './nested';

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
  const read = modelLayers(className, config);
  if (typeof read === 'string') return { ok: false, error: read };
  const raws = className === 'Sequential' ? withInput(read.raws, config) : read.raws;
  const outputs = read.outputs;
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
 * A Sequential model's layers, starting with an input: its InputLayer, or one made from the
 * shape its first layer (or, for a nested model first, that model's first layer) was built for.
 */
function withInput(raws: RawLayer[], config: unknown): RawLayer[] | string {
  if (raws.length === 0 || raws[0]?.className === 'InputLayer') return raws;
  const shape = firstBatchShape(raws[0], config);
  if (!shape) {
    return 'This Sequential model has no input shape (it was saved before it was built). Give its first layer an input_shape, or start it with an InputLayer.';
  }
  return [
    {
      className: 'InputLayer',
      config: { batch_input_shape: shape },
      name: `${isRecord(config) && typeof config['name'] === 'string' ? config['name'] : 'sequential'}_input`,
      problems: [],
    },
    ...raws,
  ];
}

/**
 * Keras layers may each say `data_format`; a model that mixes them is flagged per layer. Flatten's
 * `data_format` only chooses the order of the flattened values, not the model's layout. A nested
 * model's layout is its layers' (channels_first if any says so).
 */
function layoutOf(raw: RawLayer, depth = 0): unknown {
  if (raw.className === 'Flatten') return undefined;
  if (!isModelClass(raw.className)) return raw.config['data_format'];
  const inner = depth < MAX_NESTING ? modelLayers(raw.className, raw.config) : undefined;
  if (!inner || typeof inner === 'string') return undefined;
  const formats = inner.raws.map((r) => layoutOf(r, depth + 1));
  return formats.includes('channels_first') ? 'channels_first' : formats.find((f) => f === 'channels_last');
}

function modelDataFormat(raws: readonly RawLayer[]): DataFormat {
  return raws.some((r) => layoutOf(r) === 'channels_first') ? 'channels_first' : 'channels_last';
}

function toModelLayer(raw: RawLayer, index: number, dataFormat: DataFormat): ModelLayer {
  const wiring = {
    name: raw.name,
    sourceClass: raw.className,
    ...(raw.inputs && raw.className !== 'InputLayer' ? { inputs: raw.inputs } : {}),
    // Keras' `trainable: false` (a frozen transfer-learning base); tfjs' toJSON writes the same.
    ...(raw.config['trainable'] === false && raw.className !== 'InputLayer' ? { trainable: false as const } : {}),
  };
  const problems = [...raw.problems];
  const format = layoutOf(raw);
  if ((format === 'channels_last' || format === 'channels_first') && format !== dataFormat) {
    problems.push(
      `data_format '${format}' differs from the rest of the model ('${dataFormat}'); ConvScope needs one layout per model.`,
    );
  }
  const mapped =
    raw.className === 'InputLayer'
      ? inputFields(raw.config)
      : isModelClass(raw.className)
        ? nestedFields(raw)
        : mapKerasLayer(raw.className, raw.config);
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
