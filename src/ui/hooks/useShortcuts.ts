import { useEffect } from 'react';
import { appStore } from '../../state/store';

/** True when a key press belongs to a text field, not to the app. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * Global keys: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo; in lecture mode the arrows step
 * through the layers, + and − zoom, Esc leaves.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const state = appStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !typing(e.target) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) state.redo();
        else state.undo();
        return;
      }
      if (mod && !typing(e.target) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        state.redo();
        return;
      }
      if (!state.lecture || typing(e.target) || mod || e.altKey) return;
      const actions: Record<string, () => void> = {
        ArrowDown: () => state.step(1),
        ArrowRight: () => state.step(1),
        ArrowUp: () => state.step(-1),
        ArrowLeft: () => state.step(-1),
        '+': () => state.zoomBy(0.1),
        '=': () => state.zoomBy(0.1),
        '-': () => state.zoomBy(-0.1),
        Escape: () => state.setLecture(false),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
