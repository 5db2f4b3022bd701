import { useEffect } from 'react';
import { EMBED_API_VERSION, parseHostMessage, type AppMessage } from '../../io/embed-protocol';
import { readModelData, readModelText } from '../../io/read-model';
import { urlOptions } from '../../io/share-url';
import { summaryJson } from '../../io/summary/json';
import { analysisOf, appStore } from '../../state/store';
import type { TrainingRun } from '../../state/train-slice';

/** Training news for the host: progress as steps arrive (several a second), the result, failures. */
function reportRun(run: TrainingRun, previous: TrainingRun, post: (message: AppMessage) => void): void {
  const backend = run.backend?.name ?? '';
  if (run.last && run.last !== previous.last) {
    const { epoch, step, loss, accuracy, imagesPerSecond } = run.last;
    post({ type: 'convscope:progress', epoch, step, loss, accuracy, imagesPerSecond, backend });
  }
  if (run.result && run.result !== previous.result) {
    const { testAccuracy, imagesPerSecond, seconds } = run.result;
    post({ type: 'convscope:trained', testAccuracy, backend: run.result.backend, imagesPerSecond, seconds });
  }
  if (run.error && run.error !== previous.error) post({ type: 'convscope:error', message: run.error });
}

/** `convscope:ready` is said once per page load, even when effects run twice (React's StrictMode). */
let greeted = false;

/**
 * The embed API (docs/embed-api.md): in `?embed=1`, say `convscope:ready`, accept
 * `convscope:load`, `convscope:train` and `convscope:stop` from the host (only from `?origin=`
 * when given), and send `convscope:summary` after each load and change, `convscope:progress`
 * while training, `convscope:trained` at the end, `convscope:error` when something fails.
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
      if ('invalid' in message) {
        post({
          type: 'convscope:error',
          message:
            message.type === 'convscope:load'
              ? 'convscope:load needs a "model": the model file as an object or a JSON string.'
              : `${message.type}: ${message.invalid}`,
        });
        return;
      }
      if (message.type === 'convscope:train') {
        const state = appStore.getState();
        if (state.run.status === 'starting' || state.run.status === 'running' || state.run.status === 'paused') {
          post({
            type: 'convscope:error',
            message: 'convscope:train: a run is already going; send convscope:stop first.',
          });
          return;
        }
        const { url, backend, maxTrainSamples, maxTestSamples, ...config } = message.config;
        const { maxTrainSamples: _a, maxTestSamples: _b, url: _c, backend: _d, ...kept } = state.trainSettings;
        void import('../train/trainer').then(({ startTraining }) =>
          startTraining({
            ...kept,
            ...config,
            ...(url ? { url } : {}),
            ...(backend ? { backend } : {}),
            ...(maxTrainSamples ? { maxTrainSamples } : {}),
            ...(maxTestSamples ? { maxTestSamples } : {}),
          }),
        );
        return;
      }
      if (message.type === 'convscope:stop') {
        void import('../train/trainer').then(({ stopTraining }) => stopTraining());
        return;
      }
      const read = typeof message.model === 'string' ? readModelText(message.model) : readModelData(message.model);
      if (read.ok) appStore.getState().loadModel(read.model, 'embed');
      else post({ type: 'convscope:error', message: read.error });
    };
    window.addEventListener('message', onMessage);
    // During an epoch's test pass no steps arrive: repeat the last progress so hosts hear at least once a second.
    const heartbeat = setInterval(() => {
      const { run } = appStore.getState();
      if ((run.status === 'running' || run.status === 'paused') && run.last)
        reportRun(run, { ...run, last: null }, post);
    }, 1000);
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model !== previous.model) sendSummary();
      if (state.run !== previous.run) reportRun(state.run, previous.run, post);
    });
    if (!greeted) {
      greeted = true;
      post({ type: 'convscope:ready', version: EMBED_API_VERSION });
      sendSummary();
    }
    return () => {
      window.removeEventListener('message', onMessage);
      clearInterval(heartbeat);
      unsubscribe();
    };
  }, []);
}
