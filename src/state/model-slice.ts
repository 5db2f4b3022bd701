import type { StateCreator } from 'zustand';
import { findLayer, splitInnerId } from '../engine/analysis/inner';
import { applyEdits, type Edit } from '../engine/model/edits';
import type { Model } from '../engine/model/model';
import { presetModel, presets } from '../presets';
import { analysisOf } from './analysis';
import { releaseFileWeights } from './file-weights';
import { followEdit } from '../presets/follow-edit';
import type { AppState } from './store';

/** How many steps undo remembers. */
export const HISTORY = 200;

/**
 * Sources of models that come from outside rather than from the person using the app: a link's
 * hash, `?src=`, the embedding page, this browser's own storage. Loading one is not an edit, so
 * it is not autosaved (it would replace the person's saved work without them doing anything).
 */
export function isOutsideSource(source: string): boolean {
  return ['link', 'embed', 'autosave', 'session'].includes(source) || source.startsWith('url:');
}

export interface ModelSlice {
  readonly model: Model;
  /** Where the model came from ("preset:resnet20-a", "file:model.json", "link", …). */
  readonly modelSource: string;
  readonly past: readonly Model[];
  readonly future: readonly Model[];
  /** Consecutive edits with the same key (typing in one field) make one undo step. */
  readonly coalesceKey: string | null;
  /**
   * Whether the last change of the model was the person's (an edit, undo, a file or preset they
   * opened) rather than a model from outside (see isOutsideSource): only theirs is autosaved.
   */
  readonly byUser: boolean;
  /**
   * Counts the models opened in this tab: the edits between two openings are one piece of work.
   * Edits are not openings, nor are steps through the browser's history (source 'history'), which
   * step through edits as undo does.
   */
  readonly opened: number;
  /** Replaces the model (undoable). `byUser` overrides what the source says (a link the person chose to open). */
  loadModel(model: Model, source: string, byUser?: boolean): void;
  /** Puts back a tab's model with its undo and redo steps, as they were before a reload. */
  restoreHistory(model: Model, source: string, past: readonly Model[], future: readonly Model[]): void;
  loadPreset(id: string): void;
  /** Applies edits to the model as one undo step. */
  edit(edits: readonly Edit[], coalesceKey?: string): void;
  undo(): void;
  redo(): void;
}

export const DEFAULT_PRESET = presets[0]!.id;

export const createModelSlice: StateCreator<AppState, [], [], ModelSlice> = (set, get) => ({
  model: presetModel(DEFAULT_PRESET),
  modelSource: `preset:${DEFAULT_PRESET}`,
  past: [],
  future: [],
  coalesceKey: null,
  byUser: false,
  opened: 0,
  loadModel: (model, source, byUser = !isOutsideSource(source)) => {
    // Browser history steps through edits, as undo does: the file's weights stay.
    if (source !== 'history') releaseFileWeights(model);
    set((s) => ({
      model,
      modelSource: source,
      past: [...s.past, s.model].slice(-HISTORY),
      future: [],
      coalesceKey: null,
      byUser,
      opened: source === 'history' ? s.opened : s.opened + 1,
      selected: firstSelectable(model),
    }));
  },
  restoreHistory: (model, source, past, future) => {
    releaseFileWeights(model);
    set((s) => ({
      model,
      modelSource: source,
      past: past.slice(-HISTORY),
      future: future.slice(0, HISTORY),
      coalesceKey: null,
      byUser: false,
      opened: s.opened + 1,
      selected: firstSelectable(model),
    }));
  },
  loadPreset: (id) => get().loadModel(presetModel(id), `preset:${id}`),
  edit: (edits, coalesceKey) =>
    set((s) => {
      const changed = applyEdits(s.model, edits);
      if (changed === s.model) return {};
      const model = followEdit(s.model, changed);
      const coalesce = coalesceKey !== undefined && coalesceKey === s.coalesceKey;
      return {
        model,
        past: coalesce ? s.past : [...s.past, s.model].slice(-HISTORY),
        future: [],
        coalesceKey: coalesceKey ?? null,
        byUser: true,
        selected: keepSelection(s.model, model, s.selected),
      };
    }),
  undo: () =>
    set((s) => {
      const previous = s.past[s.past.length - 1];
      if (!previous) return {};
      return {
        model: previous,
        past: s.past.slice(0, -1),
        future: [s.model, ...s.future],
        coalesceKey: null,
        byUser: true,
        selected: keepSelection(s.model, previous, s.selected),
      };
    }),
  redo: () =>
    set((s) => {
      const next = s.future[0];
      if (!next) return {};
      return {
        model: next,
        past: [...s.past, s.model],
        future: s.future.slice(1),
        coalesceKey: null,
        byUser: true,
        selected: keepSelection(s.model, next, s.selected),
      };
    }),
});

function firstSelectable(model: Model): string | null {
  return model.layers[1]?.name ?? model.layers[0]?.name ?? null;
}

/** The selection survives an edit; if its layer is gone, the layer now at its place is chosen. */
function keepSelection(before: Model, after: Model, selected: string | null): string | null {
  if (selected === null) return null;
  if (after.layers.some((l) => l.name === selected)) return selected;
  // A layer inside a block stays selected while its block has it, else its block is selected.
  const inner = splitInnerId(analysisOf(before), selected);
  if (inner && after.layers.some((l) => l.name === inner.parent)) {
    return findLayer(analysisOf(after), selected) ? selected : inner.parent;
  }
  const index = before.layers.findIndex((l) => l.name === (inner?.parent ?? selected));
  return after.layers[Math.min(index, after.layers.length - 1)]?.name ?? null;
}
