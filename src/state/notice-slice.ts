import type { StateCreator } from 'zustand';
import type { AppState } from './store';

export interface Notice {
  readonly kind: 'error' | 'info';
  readonly text: string;
  /** Increases with each notice, so the same text shown twice is announced twice. */
  readonly id: number;
}

export interface NoticeSlice {
  readonly notice: Notice | null;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(): void;
}

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notice: null,
  notify: (kind, text) => set((s) => ({ notice: { kind, text, id: (s.notice?.id ?? 0) + 1 } })),
  dismiss: () => set({ notice: null }),
});
