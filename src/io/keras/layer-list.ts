import { inboundLayers } from './inbound';

export type Config = Record<string, unknown>;

/** One entry of a Keras model's layer list, before its fields are mapped. */
export interface RawLayer {
  readonly className: string;
  readonly config: Config;
  readonly name: string;
  readonly inputs?: string[];
  /** Problems found before the layer's own fields are read (wiring). */
  readonly problems: string[];
}

export const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras classes that are whole models; one of them inside another model is a nested model. */
export function isModelClass(className: unknown): boolean {
  return className === 'Sequential' || className === 'Functional' || className === 'Model';
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

/** A model's layers and its output names, or why they cannot be read. */
export function modelLayers(className: unknown, config: unknown): { raws: RawLayer[]; outputs?: string[] } | string {
  if (className === 'Sequential') {
    const list = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
    if (!Array.isArray(list)) return 'config.layers: a Sequential model needs a list of layers.';
    return { raws: sequentialLayers(list) };
  }
  if (className === 'Functional' || className === 'Model') {
    if (!isRecord(config) || !Array.isArray(config['layers']))
      return `config.layers: a ${className} model needs a list of layers.`;
    const outputs = outputNames(config['output_layers']);
    return { raws: functionalLayers(config['layers']), ...(outputs ? { outputs } : {}) };
  }
  return `class_name: '${String(className)}' is not a Keras model (expected Sequential, Functional or Model).`;
}

/**
 * An entry's config. Older files (Keras before 2.2.3, tfjs-layers 1.x) write a Sequential's config as
 * its bare list of layers, also for a Sequential nested in another model (ml5's image classifier).
 */
function entryConfig(entry: Config): Config {
  const config = entry['config'];
  if (isRecord(config)) return config;
  return Array.isArray(config) && entry['class_name'] === 'Sequential' ? { layers: config } : {};
}

function sequentialLayers(list: readonly unknown[]): RawLayer[] {
  return list.filter(isRecord).map((entry, i) => {
    const layerConfig = entryConfig(entry);
    return {
      className: String(entry['class_name']),
      config: layerConfig,
      name: entryName(entry, layerConfig, `layer_${i}`),
      problems: [],
    };
  });
}

function functionalLayers(list: readonly unknown[]): RawLayer[] {
  return list.filter(isRecord).map((entry, i) => {
    const config = entryConfig(entry);
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
 * The batch shape a Sequential model's first layer was built for: its `batch_input_shape`, the
 * model's `build_input_shape`, or, when the first layer is itself a model, that model's own.
 */
export function firstBatchShape(first: RawLayer | undefined, config: unknown, depth = 0): unknown[] | undefined {
  const own = first?.config['batch_input_shape'] ?? first?.config['batch_shape'];
  if (Array.isArray(own)) return own;
  const built = isRecord(config) ? config['build_input_shape'] : undefined;
  if (Array.isArray(built)) return built;
  if (!first || !isModelClass(first.className) || depth > 8) return undefined;
  const inner = modelLayers(first.className, first.config);
  if (typeof inner === 'string') return undefined;
  const input = inner.raws.find((r) => r.className === 'InputLayer') ?? inner.raws[0];
  return firstBatchShape(input, first.config, depth + 1);
}
