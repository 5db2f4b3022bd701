import { useEffect } from 'react';
import { urlOptions } from '../../io/share-url';
import { Autosaver } from '../../state/autosaver';
import { appStore } from '../../state/store';
import { download } from '../../viz/export-image';
import { saveModelFile } from '../io/save-file';

/** This browser's localStorage, or null where the page may not use it (it then throws on access). */
export function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * Saves the person's changes in the browser shortly after each one, and at once when the page is
 * left; follows other tabs' saves (`storage` events) so that two tabs never silently overwrite
 * each other's model or runs. Not when embedded in another page (its model is the host's).
 */
export function useAutosave(): void {
  useEffect(() => {
    const storage = localStore();
    if (urlOptions(window.location.search).embed || !storage) return;
    const autosaver = new Autosaver(appStore, storage, {
      download: (name, text) => download(name, text, 'application/json'),
      saveFile: () => saveModelFile(appStore.getState().model),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      autosaver.save();
    };
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (!autosaver.changed(state, previous)) return;
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
    const onStorage = (e: StorageEvent) => {
      if (e.storageArea === storage) autosaver.storageChanged(e.key, e.newValue);
    };
    window.addEventListener('pagehide', save);
    window.addEventListener('storage', onStorage);
    return () => {
      save();
      window.removeEventListener('pagehide', save);
      window.removeEventListener('storage', onStorage);
      unsubscribe();
    };
  }, []);
}
