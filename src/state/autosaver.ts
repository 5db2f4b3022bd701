import type { Model } from '../engine/model/model';
import { readModelText } from '../io/read-model';
import { sayConflict, sayKept, sayNotSaved, type AutosaveHooks } from './autosave-notices';
import { modelJson, rememberJson } from './model-json';
import { readRecords, RUNS_KEY } from './run-records';
import type { SavedModel } from './saved-slice';
import { AUTOSAVE_KEY, PREVIOUS_KEY, saveAutosave, setAsideUnreadable } from './saved-work';
import type { AppState, AppStore } from './store';

export type { AutosaveHooks } from './autosave-notices';

/**
 * One tab's autosave. Only the person's changes are saved (not a model opened from a link or sent
 * by an embedding page). The tab remembers which stored text its work continues (`base`): when
 * another tab has saved a different model since, this tab says so and stops saving until the
 * person chooses; when the tab starts other work (opens a file, a preset, a link, or undoes back
 * past an opening), the stored model becomes the previous one instead of being lost. A full or
 * blocked storage is said once. The page wires it to a timer and to `storage` events.
 */
export class Autosaver {
  private base: string | null = null;
  /** This tab's work is what is stored: another tab's save is then a conflict to tell about. */
  private owns = false;
  /** Another tab's model is stored; this tab writes nothing until the person chooses. */
  private blocked = false;
  private failing = false;
  /** Which piece of work each model belongs to: the models between two openings are one. */
  private readonly works = new WeakMap<Model, number>();
  private work = 0;
  /** A kept entry the person opened: let go once the autosave holds the model. */
  private clearAfterSave: { key: string; opened: number } | null = null;

  constructor(
    private readonly store: AppStore,
    private readonly storage: Storage,
    private readonly hooks: AutosaveHooks,
  ) {
    const { past, future, model } = store.getState();
    for (const m of [...past, ...future]) this.works.set(m, ++this.work);
    this.works.set(model, ++this.work);
    try {
      setAsideUnreadable(storage);
    } catch {
      // Storage off: nothing to keep.
    }
    this.startWork();
    this.publish();
    this.sayKept();
  }

  /** Follows a change of the store; true when the model should be saved (soon). */
  changed(state: AppState, previous: AppState): boolean {
    if (state.model === previous.model) return false;
    if (state.opened !== previous.opened) {
      // Steps that undo can reach but this tab has not seen (a restored history) count as other work.
      for (const m of [...state.past, ...state.future]) if (!this.works.has(m)) this.works.set(m, ++this.work);
      this.works.set(state.model, ++this.work);
      this.startWork();
    } else {
      const known = this.works.get(state.model);
      const mine = this.works.get(previous.model) ?? this.work;
      this.works.set(state.model, known ?? mine);
      // Undo or redo across an opening: back to other work, which must not overwrite this one in place.
      if (known !== undefined && known !== mine) this.startWork();
    }
    return state.byUser;
  }

  save(): void {
    if (!this.blocked) this.write(false);
  }

  /** Another tab changed this browser's storage (the `storage` event; key null: cleared). */
  storageChanged(key: string | null, value: string | null): void {
    if (key === RUNS_KEY) this.store.setState({ records: readRecords() });
    if (key !== null && key !== AUTOSAVE_KEY && key !== PREVIOUS_KEY) return;
    this.publish();
    if (key !== AUTOSAVE_KEY || value === null) return;
    if (value === modelJson(this.store.getState().model)) {
      this.base = value;
      this.unblock();
    } else if (this.owns && !this.blocked && value !== this.base) this.conflict(value);
  }

  private stored(): string | null {
    try {
      return this.storage.getItem(AUTOSAVE_KEY);
    } catch {
      return null;
    }
  }

  private startWork(): void {
    const text = this.stored();
    this.base = text !== null && text === modelJson(this.store.getState().model) ? text : null;
    this.owns = false;
    this.unblock();
  }

  private unblock(): void {
    if (this.blocked) this.store.getState().dismiss('saving');
    this.blocked = false;
  }

  private write(replace: boolean): void {
    const text = modelJson(this.store.getState().model);
    if (replace) this.blocked = false;
    const outcome = saveAutosave(this.storage, text, this.base, replace);
    if (outcome.kind === 'saved' || outcome.kind === 'unchanged') this.saved(text);
    else if (outcome.kind === 'conflict') this.conflict(outcome.theirs);
    else if (!this.failing) {
      this.failing = true;
      sayNotSaved(this.store, outcome.kind, this.hooks);
    }
  }

  private saved(text: string): void {
    this.base = text;
    this.owns = true;
    if (this.failing) this.store.getState().dismiss('saving');
    this.failing = false;
    if (this.clearAfterSave?.opened === this.store.getState().opened) {
      this.storage.removeItem(this.clearAfterSave.key);
      this.clearAfterSave = null;
      this.sayKept();
    }
    this.publish();
  }

  private conflict(theirs: string): void {
    this.blocked = true;
    sayConflict(this.store, theirs, () => this.write(true));
  }

  private sayKept(): void {
    sayKept(this.store, this.storage, this.hooks, (key) => {
      this.clearAfterSave = { key, opened: this.store.getState().opened };
    });
  }

  /** The autosave and the previous model, for the Model picker (each read once per stored text). */
  private publish(): void {
    const current = this.store.getState();
    const savedModels = (['autosave', 'previous'] as const).flatMap((slot): SavedModel[] => {
      let text: string | null;
      try {
        text = this.storage.getItem(slot === 'autosave' ? AUTOSAVE_KEY : PREVIOUS_KEY);
      } catch {
        return [];
      }
      if (text === null) return [];
      const known = current.savedModels.find((m) => m.text === text);
      if (known) return [{ ...known, slot }];
      if (text === modelJson(current.model)) return [{ slot, model: current.model, text }];
      const read = readModelText(text);
      if (!read.ok) return [];
      rememberJson(read.model, text);
      return [{ slot, model: read.model, text }];
    });
    this.store.setState({ savedModels });
  }
}
