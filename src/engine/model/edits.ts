import type { LayerSpec } from '../layers/registry';
import { isFrozen, isInput, type Model, type ModelLayer } from './model';

/**
 * Changes to a model, as typed objects applied by one pure function: the editor, undo/redo,
 * one-click fixes and tests all speak this language.
 */
export type Edit =
  | { readonly kind: 'insert'; readonly index: number; readonly layer: ModelLayer }
  | { readonly kind: 'remove'; readonly name: string }
  | { readonly kind: 'move'; readonly name: string; readonly to: number }
  | { readonly kind: 'update'; readonly name: string; readonly spec: LayerSpec }
  | { readonly kind: 'rename'; readonly name: string; readonly to: string }
  | { readonly kind: 'rewire'; readonly name: string; readonly inputs: readonly string[] | undefined }
  | { readonly kind: 'trainable'; readonly name: string; readonly trainable: boolean };

/** The names feeding layer `i`: its own `inputs`, else the layer before it. */
export function inputsOf(layers: readonly ModelLayer[], i: number): readonly string[] {
  const layer = layers[i];
  if (!layer) return [];
  if (layer.inputs) return layer.inputs;
  if (isInput(layer)) return [];
  const previous = layers[i - 1];
  return previous ? [previous.name] : [];
}

export function applyEdits(model: Model, edits: readonly Edit[]): Model {
  return edits.reduce(applyEdit, model);
}

/** Applies one edit. An edit naming a layer that does not exist leaves the model unchanged. */
export function applyEdit(model: Model, edit: Edit): Model {
  const layers = [...model.layers];
  const at = 'name' in edit ? layers.findIndex((l) => l.name === edit.name) : -1;
  switch (edit.kind) {
    case 'insert':
      layers.splice(Math.max(0, Math.min(edit.index, layers.length)), 0, edit.layer);
      return { ...model, layers };
    case 'remove':
      return at < 0 ? model : { ...model, layers: removeAt(layers, at), ...withoutOutput(model, edit.name) };
    case 'move': {
      if (at < 0) return model;
      const [layer] = layers.splice(at, 1);
      layers.splice(Math.max(0, Math.min(edit.to, layers.length)), 0, layer as ModelLayer);
      return { ...model, layers };
    }
    case 'update':
      // An update to the same values (a field committed unchanged) is no edit: no undo step, and
      // a preset is not marked edited.
      if (at < 0 || JSON.stringify(layers[at]!.spec) === JSON.stringify(edit.spec)) return model;
      layers[at] = { name: edit.name, ...optional(layers[at]!), spec: edit.spec };
      return { ...model, layers };
    case 'rename':
      if (at < 0 || layers.some((l) => l.name === edit.to)) return model;
      return renamed(model, edit.name, edit.to);
    case 'rewire': {
      // The same wiring again (a field left unchanged) is no edit.
      if (at < 0 || JSON.stringify(layers[at]!.inputs) === JSON.stringify(edit.inputs)) return model;
      const { inputs: _old, ...rest } = layers[at]!;
      layers[at] = edit.inputs ? { ...rest, inputs: edit.inputs } : rest;
      return { ...model, layers };
    }
    case 'trainable': {
      // Setting the value it already has is no edit.
      if (at < 0 || !isFrozen(layers[at]!) === edit.trainable) return model;
      const { trainable: _old, ...rest } = layers[at]!;
      layers[at] = edit.trainable ? rest : { ...rest, trainable: false };
      return { ...model, layers };
    }
  }
}

/** Wiring, provenance and frozen fields of a layer, without its spec. */
function optional(layer: ModelLayer): Partial<Pick<ModelLayer, 'inputs' | 'sourceClass' | 'group' | 'trainable'>> {
  return {
    ...(isFrozen(layer) ? { trainable: false as const } : {}),
    ...(layer.inputs ? { inputs: layer.inputs } : {}),
    ...(layer.sourceClass ? { sourceClass: layer.sourceClass } : {}),
    ...(layer.group ? { group: layer.group } : {}),
  };
}

/**
 * Splices a layer out and reconnects around it: whatever read the removed layer now reads the
 * removed layer's first input, explicitly where the list order would now give another layer.
 */
function removeAt(layers: ModelLayer[], at: number): ModelLayer[] {
  const removed = layers[at] as ModelLayer;
  const replacement = inputsOf(layers, at)[0];
  const out = layers.filter((_, i) => i !== at);
  return out.map((layer, i) => {
    if (isInput(layer)) return layer;
    const reads = i === at && !layer.inputs ? [removed.name] : layer.inputs;
    if (!reads?.includes(removed.name)) return layer;
    const inputs = reads.flatMap((n) => (n === removed.name ? (replacement ? [replacement] : []) : [n]));
    const implicit = out[i - 1]?.name;
    if (i === at && inputs.length === 1 && inputs[0] === implicit && !layer.inputs) return layer;
    return { ...layer, inputs };
  });
}

function withoutOutput(model: Model, name: string): Partial<Model> {
  return model.outputs ? { outputs: model.outputs.filter((o) => o !== name) } : {};
}

function renamed(model: Model, from: string, to: string): Model {
  const swap = (n: string) => (n === from ? to : n);
  return {
    ...model,
    layers: model.layers.map((l) => ({
      ...l,
      name: swap(l.name),
      ...(l.inputs ? { inputs: l.inputs.map(swap) } : {}),
    })),
    ...(model.outputs ? { outputs: model.outputs.map(swap) } : {}),
  };
}

/**
 * The name Keras gives a new layer of a kind: its class in snake_case (`GlobalAveragePooling2D` →
 * `global_average_pooling2d`, `Conv2D` → `conv2d`), as `tf.keras` `backend.unique_object_name` does.
 */
export function defaultLayerName(type: string): string {
  return type
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Edits that turn a layer into another kind: its new spec, and the new kind's default name
 * (unique in the model), so a Flatten that became a GlobalAveragePooling2D is no longer `flatten`.
 */
export function changeKind(model: Model, name: string, spec: LayerSpec): readonly Edit[] {
  const to = uniqueName(model, defaultLayerName(spec.type));
  const update: Edit = { kind: 'update', name, spec };
  return to === name ? [update] : [update, { kind: 'rename', name, to }];
}

/** `base`, or `base_1`, `base_2`, … : the first name no layer of the model has. */
export function uniqueName(model: Model, base: string): string {
  const taken = new Set(model.layers.map((l) => l.name));
  if (!taken.has(base)) return base;
  const stem = base.replace(/_\d+$/, '');
  for (let n = 1; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}
