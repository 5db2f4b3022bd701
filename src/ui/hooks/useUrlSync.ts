import { useEffect } from 'react';
import type { Model } from '../../engine/model/model';
import { fetchModel } from '../../io/fetch-model';
import { modelFromHash, modelToHash, urlOptions } from '../../io/share-url';
import { appStore } from '../../state/store';
import { restoreAutosave } from './useAutosave';

/**
 * Keeps the model in the URL: every edit becomes a browser history entry (so back and forward
 * step through edits, and the link reopens exactly what is on screen). At start the model comes
 * from `?src=`, else the link's hash, else the last autosave, else the default preset. A bad link
 * or file is reported and the previous model kept.
 */
export function useUrlSync(): void {
  useEffect(() => {
    const options = urlOptions(window.location.search);
    appStore.setState({ embedded: options.embed, lecture: options.lecture });
    let fromUrl = false;
    const load = (model: Model, source: string) => {
      fromUrl = true;
      appStore.getState().loadModel(model, source);
      fromUrl = false;
    };
    const hashModel = modelFromHash(window.location.hash);
    if (hashModel?.ok) load(hashModel.model, 'link');
    else if (hashModel) appStore.getState().notify('error', `${hashModel.error} Showing the default model instead.`);
    else if (!options.embed && !options.src) {
      const saved = restoreAutosave();
      if (saved) load(saved, 'autosave');
    }
    if (options.src) {
      void fetchModel(options.src, window.location.href).then((read) => {
        if (read.ok) appStore.getState().loadModel(read.model, `url:${options.src}`);
        else appStore.getState().notify('error', `${read.error} The previous model is kept.`);
      });
    }
    // The hash is written when the browser is idle, so typing never waits for compression;
    // edits within a moment of each other (typing "128") make one history entry.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const writeHash = () => {
      pending = undefined;
      const url = `${window.location.pathname}${window.location.search}${modelToHash(appStore.getState().model)}`;
      window.history.pushState(null, '', url);
    };
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model === previous.model || fromUrl) return;
      clearTimeout(pending);
      pending = setTimeout(writeHash, 250);
    });
    const onPopState = () => {
      clearTimeout(pending);
      pending = undefined;
      const read = modelFromHash(window.location.hash);
      if (read?.ok) load(read.model, 'link');
      else if (read) appStore.getState().notify('error', `${read.error} The previous model is kept.`);
    };
    window.addEventListener('popstate', onPopState);
    return () => {
      clearTimeout(pending);
      unsubscribe();
      window.removeEventListener('popstate', onPopState);
    };
  }, []);
}
