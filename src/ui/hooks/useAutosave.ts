import { useEffect } from 'react';
import type { Model } from '../../engine/model/model';
import { toProjectFile } from '../../io/project/format';
import { readModelText } from '../../io/read-model';
import { appStore } from '../../state/store';

const KEY = 'convscope:autosave';

/** Saves the model in the browser after each change (not when embedded in another page). */
export function useAutosave(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model === previous.model || state.embedded) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          localStorage.setItem(KEY, JSON.stringify(toProjectFile(state.model)));
        } catch {
          // Storage full or disabled: the URL still holds the model.
        }
      }, 300);
    });
    return () => {
      clearTimeout(timer);
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
