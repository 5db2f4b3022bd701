import type { Model } from '../engine/model/model';
import { toProjectFile } from '../io/project/format';

const texts = new WeakMap<Model, string>();

/**
 * The model as project-file JSON, worked out once per model object (models are never changed in
 * place): the autosave, the tab's undo history and the link's size check all need it, and a big
 * model's JSON takes a while.
 */
export function modelJson(model: Model): string {
  let text = texts.get(model);
  if (text === undefined) {
    text = JSON.stringify(toProjectFile(model));
    texts.set(model, text);
  }
  return text;
}

/**
 * Records the text a model was read from (the autosave, the tab's history), so that it compares
 * equal to that text; written again, the same model could come out with its keys in another order.
 */
export function rememberJson(model: Model, text: string): void {
  texts.set(model, text);
}
