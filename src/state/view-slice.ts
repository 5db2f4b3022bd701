import type { StateCreator } from 'zustand';
import type { Notation } from '../engine/notation';
import type { AppState } from './store';

export type Theme = 'system' | 'light' | 'dark';
export type Panel = 'layers' | 'table' | 'train';
/** The pictures under the layers, in the order of their tabs. */
export const FIGURES = ['volumes', 'convolution', 'field', 'weights', 'channels', 'maps', 'reshape', 'growth'] as const;
export type Figure = (typeof FIGURES)[number];

export interface ViewSlice {
  /** How shapes are written: PyTorch (N×C×H×W, out×in×k×k; the default) or Keras. */
  readonly notation: Notation;
  /** Embedded in another page (`?embed=1`): no app chrome. */
  readonly embedded: boolean;
  /** Lecture mode: large type, high contrast, keyboard stepping. */
  readonly lecture: boolean;
  readonly theme: Theme;
  /** Lecture zoom, 1 to 2. */
  readonly zoom: number;
  readonly panel: Panel;
  /** Groups (ResNet stages) folded in the layer list. */
  readonly collapsed: readonly string[];
  /** The picture shown under the layers (and beside the explanation in lecture mode). */
  readonly figure: Figure;
  setNotation(notation: Notation): void;
  setLecture(on: boolean): void;
  setTheme(theme: Theme): void;
  zoomBy(delta: number): void;
  setPanel(panel: Panel): void;
  toggleGroup(group: string): void;
  setFigure(figure: Figure): void;
}

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  notation: 'pytorch',
  embedded: false,
  lecture: false,
  theme: 'system',
  zoom: 1,
  panel: 'layers',
  collapsed: [],
  figure: 'volumes',
  setNotation: (notation) => set({ notation }),
  setLecture: (lecture) => set({ lecture }),
  setTheme: (theme) => set({ theme }),
  zoomBy: (delta) => set((s) => ({ zoom: Math.round(Math.max(1, Math.min(2, s.zoom + delta)) * 10) / 10 })),
  setPanel: (panel) => set({ panel }),
  toggleGroup: (group) =>
    set((s) => ({
      collapsed: s.collapsed.includes(group) ? s.collapsed.filter((g) => g !== group) : [...s.collapsed, group],
    })),
  setFigure: (figure) => set({ figure }),
});
