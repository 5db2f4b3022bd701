import type { StateCreator } from 'zustand';
import type { Notation } from '../engine/notation';
import type { AppState } from './store';

export interface ViewSlice {
  /** How shapes are written: PyTorch (N×C×H×W, out×in×k×k; the default) or Keras. */
  readonly notation: Notation;
  setNotation(notation: Notation): void;
}

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  notation: 'pytorch',
  setNotation: (notation) => set({ notation }),
});
