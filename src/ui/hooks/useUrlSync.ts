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
    let lastKey: string | null = appStore.getState().coalesceKey;
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model === previous.model || fromUrl) return;
      const hash = modelToHash(state.model);
      const url = `${window.location.pathname}${window.location.search}${hash}`;
      const sameStep = state.coalesceKey !== null && state.coalesceKey === lastKey;
      if (sameStep) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
      lastKey = state.coalesceKey;
    });
    const onPopState = () => {
      const read = modelFromHash(window.location.hash);
      if (read?.ok) load(read.model, 'link');
      else if (read) appStore.getState().notify('error', `${read.error} The previous model is kept.`);
    };
    window.addEventListener('popstate', onPopState);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPopState);
    };
  }, []);
}
