import type { Model } from '../engine/model/model';
import type { FileWeightSource } from '../io/file-weights';
import type { AppState } from './store';

/**
 * The weights of the model file opened last. They stay out of the store's model, its undo steps,
 * autosave and links (a file's weights can be hundreds of megabytes): this module holds them
 * beside the store, tied to one opening of one model.
 */
interface Held {
  readonly weights: FileWeightSource;
  /** The model as read from the file, its source ("file:model.h5") and the opening it was. */
  readonly model: Model;
  readonly source: string;
  readonly opened: number;
}

let held: Held | null = null;

/**
 * Keeps a file's weights for the model about to be opened: call it just before
 * `loadModel(model, source)`. Opening a file without weights lets go of the previous file's.
 */
export function holdFileWeights(
  state: Pick<AppState, 'opened'>,
  model: Model,
  source: string,
  weights: FileWeightSource | undefined,
): void {
  held = weights ? { weights, model, source, opened: state.opened + 1 } : null;
}

/** Lets go of a file's weights when a model other than the file's is opened (they can be hundreds of MB). */
export function releaseFileWeights(opening: Model): void {
  if (held && held.model !== opening) held = null;
}

/**
 * The open file's weights while the model on screen is that file's model or an edit of it; null
 * once another model is opened (then they are let go) or undo steps back past the opening.
 */
export function selectFileWeights(state: Pick<AppState, 'opened' | 'model' | 'past' | 'modelSource'>) {
  if (!held) return null;
  if (state.opened > held.opened) {
    held = null;
    return null;
  }
  const ours =
    state.opened === held.opened &&
    state.modelSource === held.source &&
    (state.model === held.model || state.past.includes(held.model));
  return ours ? held.weights : null;
}
