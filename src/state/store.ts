import { createStore, useStore as useZustand } from 'zustand';
import { analyzeModel } from '../engine/analysis/analyze';
import type { Analysis } from '../engine/analysis/result';
import type { Model } from '../engine/model/model';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createViewSlice, type ViewSlice } from './view-slice';

export type AppState = ModelSlice & ViewSlice;

/** The one store, made of slices; usable without React (tests, workers). */
export const appStore = createStore<AppState>()((...args) => ({
  ...createModelSlice(...args),
  ...createViewSlice(...args),
}));

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useZustand(appStore, selector);
}

const analyses = new WeakMap<Model, Analysis>();

/** The engine's analysis of a model, computed once per model object (never stored). */
export function analysisOf(model: Model): Analysis {
  let analysis = analyses.get(model);
  if (!analysis) {
    analysis = analyzeModel(model);
    analyses.set(model, analysis);
  }
  return analysis;
}

export const selectAnalysis = (state: AppState): Analysis => analysisOf(state.model);
export const selectNotation = (state: AppState) => state.notation;
export const selectModelSource = (state: AppState) => state.modelSource;
