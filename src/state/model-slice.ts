import type { StateCreator } from 'zustand';
import type { Model } from '../engine/model/model';
import { presetModel, presets } from '../presets';
import type { AppState } from './store';

export interface ModelSlice {
  readonly model: Model;
  /** Where the model came from, for the page title and messages ("preset resnet20-a"). */
  readonly modelSource: string;
  loadPreset(id: string): void;
}

export const DEFAULT_PRESET = presets[0]!.id;

export const createModelSlice: StateCreator<AppState, [], [], ModelSlice> = (set) => ({
  model: presetModel(DEFAULT_PRESET),
  modelSource: DEFAULT_PRESET,
  loadPreset: (id) => set({ model: presetModel(id), modelSource: id }),
});
