import { useEffect } from 'react';
import { appStore } from '../../state/store';
import { FIGURES } from '../../state/view-slice';
import { activeFigureKeys } from '../views/figure/figure-keys';

/** True when a key press belongs to a text field, not to the app. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * Global keys: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo. In lecture mode ↑ ↓ step through
 * the layers, ← → step the picture on screen (its frame, position or filter; the layers when it
 * has no steps), Space plays or pauses it, 1–8 choose the picture, + and − zoom, Esc leaves.
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
      // Keys the focused control uses itself (a slider, a list) are its own.
      if (e.defaultPrevented) return;
      const figure = activeFigureKeys();
      const actions: Record<string, () => void> = {
        ArrowDown: () => state.step(1),
        ArrowUp: () => state.step(-1),
        ArrowRight: () => (figure ? figure.step(1) : state.step(1)),
        ArrowLeft: () => (figure ? figure.step(-1) : state.step(-1)),
        ' ': () => figure?.toggle?.(),
        '+': () => state.zoomBy(0.1),
        '=': () => state.zoomBy(0.1),
        '-': () => state.zoomBy(-0.1),
        Escape: () => state.setLecture(false),
      };
      const digit = Number(e.key);
      if (Number.isInteger(digit) && digit >= 1 && digit <= FIGURES.length) {
        e.preventDefault();
        state.setFigure(FIGURES[digit - 1]!);
        return;
      }
      if (e.key === ' ' && (e.target as HTMLElement | null)?.closest?.('button, a, [role="tab"]')) return;
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
