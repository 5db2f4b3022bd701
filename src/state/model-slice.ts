import type { StateCreator } from 'zustand';
import { applyEdits, type Edit } from '../engine/model/edits';
import type { Model } from '../engine/model/model';
import { presetModel, presets } from '../presets';
import type { AppState } from './store';

/** How many steps undo remembers. */
const HISTORY = 200;

export interface ModelSlice {
  readonly model: Model;
  /** Where the model came from ("preset:resnet20-a", "file:model.json", "link", …). */
  readonly modelSource: string;
  readonly past: readonly Model[];
  readonly future: readonly Model[];
  /** Consecutive edits with the same key (typing in one field) make one undo step. */
  readonly coalesceKey: string | null;
  /** Replaces the model (undoable). */
  loadModel(model: Model, source: string): void;
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
  loadModel: (model, source) =>
    set((s) => ({
      model,
      modelSource: source,
      past: [...s.past, s.model].slice(-HISTORY),
      future: [],
      coalesceKey: null,
      selected: firstSelectable(model),
    })),
  loadPreset: (id) => get().loadModel(presetModel(id), `preset:${id}`),
  edit: (edits, coalesceKey) =>
    set((s) => {
      const model = applyEdits(s.model, edits);
      if (model === s.model) return {};
      const coalesce = coalesceKey !== undefined && coalesceKey === s.coalesceKey;
      return {
        model,
        past: coalesce ? s.past : [...s.past, s.model].slice(-HISTORY),
        future: [],
        coalesceKey: coalesceKey ?? null,
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
  const index = before.layers.findIndex((l) => l.name === selected);
  return after.layers[Math.min(index, after.layers.length - 1)]?.name ?? null;
}
