import { createStore, useStore as useZustand } from 'zustand';
import { findLayer } from '../engine/analysis/inner';
import type { Analysis, LayerResult } from '../engine/analysis/result';
import { analysisOf } from './analysis';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createNoticeSlice, type NoticeSlice } from './notice-slice';
import { createSavedSlice, type SavedSlice } from './saved-slice';
import { createSelectionSlice, type SelectionSlice } from './selection-slice';
import { createTrainSlice, type TrainSlice } from './train-slice';
import { createViewSlice, type ViewSlice } from './view-slice';

export type AppState = ModelSlice & SelectionSlice & ViewSlice & NoticeSlice & TrainSlice & SavedSlice;

/** Makes a store; the app has one (`appStore`), tests make their own. Usable without React. */
export function makeAppStore() {
  const store = createStore<AppState>()((...args) => ({
    ...createModelSlice(...args),
    ...createSelectionSlice(...args),
    ...createViewSlice(...args),
    ...createNoticeSlice(...args),
    ...createTrainSlice(...args),
    ...createSavedSlice(...args),
  }));
  store.setState({ selected: store.getState().model.layers[1]?.name ?? null });
  return store;
}

export const appStore = makeAppStore();
export type AppStore = typeof appStore;

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useZustand(appStore, selector);
}

export const selectAnalysis = (state: AppState): Analysis => analysisOf(state.model);
export const selectNotation = (state: AppState) => state.notation;
export const selectModelSource = (state: AppState) => state.modelSource;
export const selectSelected = (state: AppState) => state.selected;

export { analysisOf };

/**
 * The selected layer's analysis, or undefined: a top-level layer, or one inside a block
 * (`block/inner`, named by that id; see `findLayer`).
 */
export const selectSelectedLayer = (state: AppState): LayerResult | undefined =>
  state.selected === null ? undefined : findLayer(analysisOf(state.model), state.selected);
