import type { StateCreator } from 'zustand';
import { layerIds, ownerOf, splitInnerId } from '../engine/analysis/inner';
import { analysisOf } from './analysis';
import type { AppState } from './store';

export interface SelectionSlice {
  /**
   * The layer the inspector, the explanations and the views show: a top-level layer's name, or
   * `block/inner` for a layer inside a block (see engine/analysis/inner.ts).
   */
  readonly selected: string | null;
  /** Blocks whose inner layers the list shows (and stepping walks through). */
  readonly expanded: readonly string[];
  /** Selects a layer; a layer inside a block unfolds its block. */
  select(name: string | null): void;
  toggleExpanded(block: string): void;
  /** Moves the selection through the layers in reading order, into unfolded blocks (lecture mode's arrows). */
  step(delta: number): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selected: null,
  expanded: [],
  select: (selected) =>
    set((s) => {
      const parent = selected === null ? null : (splitInnerId(analysisOf(s.model), selected)?.parent ?? null);
      return parent === null || s.expanded.includes(parent)
        ? { selected }
        : { selected, expanded: [...s.expanded, parent] };
    }),
  toggleExpanded: (block) =>
    set((s) => {
      if (!s.expanded.includes(block)) return { expanded: [...s.expanded, block] };
      const analysis = analysisOf(s.model);
      // Folding the block that holds the selection selects the block itself.
      const inside = s.selected !== null && s.selected !== block && ownerOf(analysis, s.selected) === block;
      return { expanded: s.expanded.filter((b) => b !== block), ...(inside ? { selected: block } : {}) };
    }),
  step: (delta) =>
    set((s) => {
      const open = new Set(s.expanded);
      const ids = layerIds(analysisOf(s.model), (name) => open.has(name));
      const at = s.selected === null ? -1 : ids.indexOf(s.selected);
      const next = Math.max(0, Math.min(ids.length - 1, at + delta));
      return { selected: ids[next] ?? null };
    }),
});
