import type { StateCreator } from 'zustand';
import type { AppState } from './store';

/** A button in a notice: what the person can do about it ("Open it", "Save file"). */
export interface NoticeAction {
  readonly label: string;
  run(): void;
}

export interface Notice {
  readonly kind: 'error' | 'info';
  readonly text: string;
  /** Increases with each notice, so the same text shown twice is announced twice. */
  readonly id: number;
  /**
   * What the notice is about ("autosave", "link", …): a notice replaces the one on its topic and
   * stands beside notices on others, so a question about saved work is not pushed away by "Link
   * copied".
   */
  readonly topic: string;
  readonly actions: readonly NoticeAction[];
  /** Stays until dismissed or replaced: something under way, or a question (a notice with actions). */
  readonly lasting: boolean;
}

export interface NoticeOptions {
  readonly topic?: string;
  readonly actions?: readonly NoticeAction[];
  readonly lasting?: boolean;
}

export interface NoticeSlice {
  /** Oldest first; at most MAX_NOTICES. */
  readonly notices: readonly Notice[];
  notify(kind: Notice['kind'], text: string, options?: NoticeOptions): void;
  /** Dismisses one notice (by id), or whatever is shown on a topic. */
  dismiss(which: number | string): void;
}

/** More would hide the page; the oldest goes first. */
export const MAX_NOTICES = 4;

let lastId = 0;

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notices: [],
  notify: (kind, text, options = {}) =>
    set((s) => {
      const topic = options.topic ?? 'general';
      const actions = options.actions ?? [];
      const notice: Notice = {
        kind,
        text,
        id: ++lastId,
        topic,
        actions,
        lasting: options.lasting ?? actions.length > 0,
      };
      return { notices: [...s.notices.filter((n) => n.topic !== topic), notice].slice(-MAX_NOTICES) };
    }),
  dismiss: (which) =>
    set((s) => {
      const notices = s.notices.filter((n) => (typeof which === 'number' ? n.id !== which : n.topic !== which));
      return notices.length === s.notices.length ? {} : { notices };
    }),
});
