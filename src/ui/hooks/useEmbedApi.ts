import { useEffect } from 'react';
import { EMBED_API_VERSION, parseHostMessage, type AppMessage } from '../../io/embed-protocol';
import { readModelData, readModelText } from '../../io/read-model';
import { urlOptions } from '../../io/share-url';
import { summaryJson } from '../../io/summary/json';
import { analysisOf, appStore } from '../../state/store';

/** `convscope:ready` is said once per page load, even when effects run twice (React's StrictMode). */
let greeted = false;

/**
 * The embed API (docs/embed-api.md): in `?embed=1`, say `convscope:ready`, accept
 * `convscope:load` from the host (only from `?origin=` when given), and send
 * `convscope:summary` after each load and change, `convscope:error` when a load fails.
 */
export function useEmbedApi(): void {
  useEffect(() => {
    const options = urlOptions(window.location.search);
    if (!options.embed || window.parent === window) return;
    const target = options.origin ?? '*';
    const post = (message: AppMessage) => window.parent.postMessage(message, target);
    const sendSummary = () =>
      post({ type: 'convscope:summary', summary: summaryJson(analysisOf(appStore.getState().model)) });
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent) return;
      if (options.origin && event.origin !== options.origin) return;
      const message = parseHostMessage(event.data);
      if (message === null) return;
      if (message === 'invalid') {
        post({
          type: 'convscope:error',
          message: 'convscope:load needs a "model": the model file as an object or a JSON string.',
        });
        return;
      }
      const read = typeof message.model === 'string' ? readModelText(message.model) : readModelData(message.model);
      if (read.ok) appStore.getState().loadModel(read.model, 'embed');
      else post({ type: 'convscope:error', message: read.error });
    };
    window.addEventListener('message', onMessage);
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model !== previous.model) sendSummary();
    });
    if (!greeted) {
      greeted = true;
      post({ type: 'convscope:ready', version: EMBED_API_VERSION });
      sendSummary();
    }
    return () => {
      window.removeEventListener('message', onMessage);
      unsubscribe();
    };
  }, []);
}
