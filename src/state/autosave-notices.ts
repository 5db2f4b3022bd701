import type { Model } from '../engine/model/model';
import { FORMAT_VERSION } from '../io/project/format';
import { readModelText } from '../io/read-model';
import { modelJson, rememberJson } from './model-json';
import { AUTOSAVE_KEY, keptKeys, readEntry, type Entry } from './saved-work';
import type { AppStore } from './store';

/** What saving needs from the page: files to download. */
export interface AutosaveHooks {
  /** Offers text as a file (an autosave this ConvScope cannot read). */
  download(filename: string, text: string): void;
  /** Saves the model on screen as a file, as the toolbar's Save does. */
  saveFile(): void;
}

/** A name from a model or a file, shortened for a sentence. */
export const quoted = (name: string) => `“${name.length > 60 ? `${name.slice(0, 59)}…` : name}”`;

function entryOf(storage: Storage, key: string): Entry {
  try {
    return readEntry(storage, key);
  } catch {
    return { kind: 'none' };
  }
}

/** Opens a model read from storage, so that it compares equal to the stored text. */
function open(store: AppStore, model: Model, text: string, source: string): void {
  rememberJson(model, text);
  store.getState().loadModel(model, source);
}

/** Opens the autosaved model, if one is stored and readable (at start, when the address holds none). */
export function restoreAutosave(store: AppStore, storage: Storage): boolean {
  const entry = entryOf(storage, AUTOSAVE_KEY);
  if (entry.kind === 'model') open(store, entry.model, entry.text, 'autosave');
  return entry.kind === 'model';
}

/**
 * After a model was opened from a link or `?src=`: if the autosave holds another model, says that
 * it is kept (it is replaced only once the person edits, and then becomes the previous one) and
 * offers to open it.
 */
export function sayAutosaveKept(store: AppStore, storage: Storage): void {
  const entry = entryOf(storage, AUTOSAVE_KEY);
  if (entry.kind !== 'model' || entry.text === modelJson(store.getState().model)) return;
  const { model, text } = entry;
  store
    .getState()
    .notify(
      'info',
      `Opened from a link. Your autosaved model ${quoted(model.name)} is kept: the Model menu has it under Saved in this browser.`,
      { topic: 'autosave', actions: [{ label: 'Open it', run: () => open(store, model, text, 'saved:autosave') }] },
    );
}

/**
 * Says that an autosave this ConvScope could not read is kept (the newest, if several), with a way
 * forward: download it, discard it, or, in a newer ConvScope that reads it, open it. `opened`
 * hears the key of one the person opened (it is let go once the autosave holds the model).
 */
export function sayKept(store: AppStore, storage: Storage, hooks: AutosaveHooks, opened: (key: string) => void): void {
  const key = keptKeys(storage)[0];
  if (!key) return;
  const entry = entryOf(storage, key);
  if (entry.kind === 'none') return;
  const notify = store.getState().notify;
  const discard = {
    label: 'Discard it',
    run: () => {
      storage.removeItem(key);
      sayKept(store, storage, hooks, opened);
    },
  };
  if (entry.kind === 'model') {
    const openIt = () => {
      open(store, entry.model, entry.text, 'saved:kept');
      opened(key);
    };
    notify('info', `An autosaved model that an older ConvScope could not read is kept: ${quoted(entry.model.name)}.`, {
      topic: 'kept',
      actions: [{ label: 'Open it', run: openIt }, discard],
    });
    return;
  }
  const said = entry.reason.replace(/\.$/, '');
  const reason = said.length > 160 ? `${said.slice(0, 159)}…` : said;
  const text =
    entry.newer !== null
      ? `Your autosaved model was made by a newer ConvScope (format version ${entry.newer}; this one reads version ${FORMAT_VERSION}). It is kept in this browser and will not be overwritten: open it in the newer ConvScope, or download it.`
      : `Your autosaved model could not be read (${reason}). It is kept in this browser and will not be overwritten.`;
  const download = () => hooks.download(`autosave-${key.slice(-24).replace(/:/g, '-')}.json`, entry.text);
  notify(entry.newer !== null ? 'info' : 'error', text, {
    topic: 'kept',
    actions: [{ label: 'Download it', run: download }, discard],
  });
}

/** Says that another tab saved a different model, so this one stopped autosaving; offers both ways on. */
export function sayConflict(store: AppStore, theirs: string, keepMine: () => void): void {
  const read = readModelText(theirs);
  const name = read.ok ? ` (${quoted(read.model.name)})` : '';
  const still = store.getState().linkHoldsModel ? ' The address still holds this tab’s model.' : '';
  const openTheirs = read.ok
    ? [{ label: 'Open the other tab’s model', run: () => open(store, read.model, theirs, 'autosave') }]
    : [];
  store
    .getState()
    .notify(
      'info',
      `Another tab saved a different model${name}. This tab has stopped autosaving so as not to replace it.${still}`,
      { topic: 'saving', actions: [{ label: 'Autosave this tab’s model', run: keepMine }, ...openTheirs] },
    );
}

/** Says once that storage refused the model, and what still holds it. */
export function sayNotSaved(store: AppStore, kind: 'full' | 'unavailable', hooks: AutosaveHooks): void {
  const why = kind === 'full' ? 'its storage is full' : 'it does not let this page store anything';
  const link = store.getState().linkHoldsModel
    ? 'The address still holds this model'
    : 'This model is too big for a link too';
  store.getState().notify('error', `Not saved in this browser: ${why}. ${link}; save it as a file to keep it.`, {
    topic: 'saving',
    actions: [{ label: 'Save file', run: hooks.saveFile }],
  });
}
