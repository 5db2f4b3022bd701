import type { Group } from 'jsfive';
import { child, fileWeight, groupKeys, isDataset, openHdf5, type FileWeight } from './hdf5';
import type { KerasFileContents } from './keras2-h5';

const CONFIG = 'config.json';
const WEIGHTS = 'model.weights.h5';

/**
 * Reads Keras 3's `model.save("model.keras")` (keras/src/saving/saving_lib.py): a zip holding
 * `metadata.json`, `config.json` (the model's JSON) and `model.weights.h5`, whose variables lie
 * at `layers/<name>/vars/<i>` (sub-layers, such as a recurrent layer's cell, one group deeper).
 * `<name>` is not the layer's own name but its class in snake case, numbered per class in layer
 * order (`conv2d`, `conv2d_1`, …; saving_lib's `_save_container_state`). Only the two entries
 * are inflated, and only if their declared sizes fit `maxBytes`.
 */
export async function readKeras3Zip(
  bytes: Uint8Array,
  name: string,
  maxBytes: number,
): Promise<KerasFileContents | string> {
  const { unzipSync } = await import('fflate');
  let entries: Record<string, Uint8Array>;
  let tooBig = '';
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (f.name !== CONFIG && f.name !== WEIGHTS) return false;
        if (f.originalSize > maxBytes) tooBig = f.name;
        return f.originalSize <= maxBytes;
      },
    });
  } catch {
    return 'the zip cannot be read: it is cut off or damaged. Is it complete?';
  }
  if (tooBig) return `${tooBig} in the zip is larger than ${maxBytes / 2 ** 20} MB unpacked; it is not read.`;
  const configBytes = entries[CONFIG];
  if (!configBytes) return 'a zip without config.json: not a Keras 3 .keras file.';
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (e) {
    return `config.json is not valid JSON (${(e as Error).message}).`;
  }
  const weightBytes = entries[WEIGHTS];
  if (!weightBytes) return { config, weights: new Map(), weightsAt: WEIGHTS };
  const file = await openHdf5(weightBytes, `${name}/${WEIGHTS}`);
  if (typeof file === 'string') return `${WEIGHTS}: ${file}`;
  return { config, weights: keras3Weights(file, layerClasses(config)), weightsAt: `${WEIGHTS}: layers` };
}

/** The model's layers as [name, class name], in order: Sequential or Functional config. */
function layerClasses(config: unknown): [string, string][] {
  const record = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const layers = record(record(config)['config'])['layers'];
  if (!Array.isArray(layers)) return [];
  return layers.map((l, i) => {
    const entry = record(l);
    const layerName = record(entry['config'])['name'] ?? entry['name'];
    return [typeof layerName === 'string' ? layerName : `layer_${i}`, String(entry['class_name'])];
  });
}

/** Keras' `to_snake_case` (keras/src/utils/naming.py). */
function snakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function keras3Weights(file: Group, layers: readonly [string, string][]): Map<string, FileWeight[]> {
  const weights = new Map<string, FileWeight[]>();
  const used = new Map<string, number>();
  for (const [layerName, className] of layers) {
    const base = snakeCase(className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    const path = `layers/${count === undefined ? base : `${base}_${count + 1}`}`;
    const group = child(file, path);
    if (group && !isDataset(group)) weights.set(layerName, variables(group, path));
  }
  return weights;
}

/** A saveable's own `vars/0`, `vars/1`, … then its sub-layers', depth first. */
function variables(group: Group, path: string, depth = 0): FileWeight[] {
  if (depth > 8) return [];
  const own = child(group, 'vars');
  const list = groupKeys(own)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .flatMap((k) => {
      const dataset = child(group, `vars/${k}`);
      return isDataset(dataset) ? [fileWeight(dataset, `${path}/vars/${k}`)] : [];
    });
  for (const key of groupKeys(group)) {
    if (key === 'vars') continue;
    const sub = child(group, key);
    if (sub && !isDataset(sub)) list.push(...variables(sub, `${path}/${key}`, depth + 1));
  }
  return list;
}
