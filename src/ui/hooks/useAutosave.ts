import { useEffect } from 'react';
import type { Model } from '../../engine/model/model';
import { toProjectFile } from '../../io/project/format';
import { readModelText } from '../../io/read-model';
import { appStore } from '../../state/store';

const KEY = 'convscope:autosave';

/**
 * Saves the model in the browser shortly after each change, and at once when the page is left
 * (not when embedded in another page).
 */
export function useAutosave(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      try {
        localStorage.setItem(KEY, JSON.stringify(toProjectFile(appStore.getState().model)));
      } catch {
        // Storage full or disabled: the URL still holds the model.
      }
    };
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model === previous.model || state.embedded) return;
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
    window.addEventListener('pagehide', save);
    return () => {
      save();
      window.removeEventListener('pagehide', save);
      unsubscribe();
    };
  }, []);
}

/** The autosaved model, if one is stored and still readable. */
export function restoreAutosave(): Model | null {
  try {
    const text = localStorage.getItem(KEY);
    if (!text) return null;
    const read = readModelText(text);
    return read.ok ? read.model : null;
  } catch {
    return null;
  }
}
