import type { DataFormat } from '../shape/shape';
import type { LayerSpec } from '../layers/registry';

/**
 * A model: a directed acyclic graph of named layers. A layer without `inputs` takes the layer
 * before it in the list, so a plain stack needs no wiring at all.
 */
export interface Model {
  readonly name: string;
  readonly description?: string;
  readonly dataFormat: DataFormat;
  readonly layers: readonly ModelLayer[];
  /** The model's outputs; by default every layer that feeds no other layer. */
  readonly outputs?: readonly string[];
}

export type ModelLayer = ValidLayer | InvalidLayer;

interface LayerNode {
  readonly name: string;
  /** Names of the layers feeding this one, in order; omitted: the previous layer in the list. */
  readonly inputs?: readonly string[];
  /** The class name it was imported as (Keras `ReLU` is an `Activation` here). */
  readonly sourceClass?: string;
  /** A group the editor folds together (a ResNet stage, a VGG block). */
  readonly group?: string;
  /**
   * `false`: the layer is frozen (Keras `layer.trainable = False`, PyTorch `requires_grad_(False)`):
   * training leaves its weights alone and they count as non-trainable. Omitted when trainable.
   */
  readonly trainable?: false;
}

export interface ValidLayer extends LayerNode {
  readonly spec: LayerSpec;
}

/** A layer that could not be read (an unknown type, a bad field): analysed as a located error. */
export interface InvalidLayer extends LayerNode {
  readonly spec: null;
  readonly type: string;
  readonly problems: readonly string[];
  /** The fields as read, kept so that saving the model loses nothing. */
  readonly raw?: Readonly<Record<string, unknown>>;
}

/** Whether a layer is the model's Input: compares the kind, never the class it was imported as. */
export function isInput(layer: { readonly spec: LayerSpec | null }): boolean {
  return layer.spec?.type === 'Input';
}

/** Whether a layer is frozen (its weights are not trained). */
export function isFrozen(layer: Pick<ModelLayer, 'trainable'>): boolean {
  return layer.trainable === false;
}
