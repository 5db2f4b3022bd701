import { createStore, useStore as useZustand } from 'zustand';
import { analyzeModel } from '../engine/analysis/analyze';
import type { Analysis, LayerResult } from '../engine/analysis/result';
import type { Model } from '../engine/model/model';
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

const analyses = new WeakMap<Model, Analysis>();
let latest: Analysis | undefined;

/**
 * The engine's analysis of a model, computed once per model object (never stored in the
 * state). The latest analysis is handed to the engine so that layers an edit did not touch keep
 * their results, and their rows need not be redrawn.
 */
export function analysisOf(model: Model): Analysis {
  let analysis = analyses.get(model);
  if (!analysis) {
    analysis = analyzeModel(model, latest);
    analyses.set(model, analysis);
  }
  latest = analysis;
  return analysis;
}

export const selectAnalysis = (state: AppState): Analysis => analysisOf(state.model);
export const selectNotation = (state: AppState) => state.notation;
export const selectModelSource = (state: AppState) => state.modelSource;
export const selectSelected = (state: AppState) => state.selected;

/** The selected layer's analysis, or undefined. */
export const selectSelectedLayer = (state: AppState): LayerResult | undefined =>
  analysisOf(state.model).layers.find((l) => l.name === state.selected);
