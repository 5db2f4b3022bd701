import type { Group } from 'jsfive';
import { child, fileWeight, groupKeys, isDataset, openHdf5, safeAttrs, stringList, type FileWeight } from './hdf5';

/** What a Keras model file holds: its architecture (Keras JSON) and, per layer name, its weights. */
export interface KerasFileContents {
  readonly config: unknown;
  readonly weights: ReadonlyMap<string, readonly FileWeight[]>;
  /** Where the weights lie in the file, for messages: `model_weights`, `model.weights.h5: layers`. */
  readonly weightsAt: string;
}

/**
 * Reads Keras 2's `model.save("model.h5")` (keras/saving/hdf5_format.py, save_model_to_hdf5): the
 * architecture is the root attribute `model_config` (the JSON of `model.to_json()`); the weights
 * lie in the group `model_weights`, one group per layer (attribute `layer_names`), each naming its
 * tensors in the attribute `weight_names` (`conv1/kernel:0`), stored as datasets under those names.
 * Only shapes are read here; values when asked.
 */
export async function readKeras2H5(bytes: Uint8Array, name: string): Promise<KerasFileContents | string> {
  const file = await openHdf5(bytes, name);
  if (typeof file === 'string') return file;
  const attrs = safeAttrs(file);
  const config = attrs['model_config'];
  if (typeof config !== 'string') return missingConfig(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch (e) {
    return `the attribute model_config is not valid JSON (${(e as Error).message}).`;
  }
  const root = child(file, 'model_weights');
  return {
    config: parsed,
    weights: root && !isDataset(root) ? layerWeights(root, 'model_weights') : new Map(),
    weightsAt: 'model_weights',
  };
}

function missingConfig(file: Group): string {
  if (stringList(file, 'layer_names'))
    return 'this HDF5 file holds only weights (model.save_weights()), no architecture: open a file saved with model.save(), or the model’s JSON (model.to_json()).';
  if (groupKeys(file).includes('model_weights'))
    return 'the HDF5 file has weights (model_weights) but no model_config attribute: it was saved without its architecture.';
  return 'an HDF5 file without the model_config attribute Keras writes: not a Keras model saved with model.save().';
}

/** Keras 2's per-layer weight groups (keras/saving/hdf5_format.py, save_weights_to_hdf5_group). */
export function layerWeights(root: Group, at: string): Map<string, FileWeight[]> {
  const weights = new Map<string, FileWeight[]>();
  for (const layer of stringList(root, 'layer_names') ?? []) {
    const group = child(root, layer);
    if (!group || isDataset(group)) continue;
    const list: FileWeight[] = [];
    for (const weightName of stringList(group, 'weight_names') ?? []) {
      const dataset = child(group, weightName);
      if (isDataset(dataset)) list.push(fileWeight(dataset, `${at}/${layer}/${weightName}`));
    }
    weights.set(layer, list);
  }
  return weights;
}
