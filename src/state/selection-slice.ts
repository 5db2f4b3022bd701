import type { StateCreator } from 'zustand';
import type { AppState } from './store';

export interface SelectionSlice {
  /** The layer the inspector, the explanations and the views show. */
  readonly selected: string | null;
  select(name: string | null): void;
  /** Moves the selection through the layers in model order (lecture mode's arrows). */
  step(delta: number): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selected: null,
  select: (selected) => set({ selected }),
  step: (delta) =>
    set((s) => {
      const names = s.model.layers.map((l) => l.name);
      const at = s.selected === null ? -1 : names.indexOf(s.selected);
      const next = Math.max(0, Math.min(names.length - 1, at + delta));
      return { selected: names[next] ?? null };
    }),
});
