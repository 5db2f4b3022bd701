import type { StateCreator } from 'zustand';
import type { Model } from '../engine/model/model';
import type { AppState } from './store';

/** A model kept in this browser that the Model picker offers. */
export interface SavedModel {
  /** 'autosave': the last model worked on; 'previous': the one it replaced. */
  readonly slot: 'autosave' | 'previous';
  readonly model: Model;
  /** The stored text, so that opening it compares equal to what is stored. */
  readonly text: string;
}

export interface SavedSlice {
  readonly savedModels: readonly SavedModel[];
  /** False while the model on screen is too big for a link (the address holds an older one). */
  readonly linkHoldsModel: boolean;
}

export const createSavedSlice: StateCreator<AppState, [], [], SavedSlice> = () => ({
  savedModels: [],
  linkHoldsModel: true,
});
