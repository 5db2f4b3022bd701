import { useEffect } from 'react';
import {
  answerHostMessage,
  EMBED_API_VERSION,
  shortened,
  type AppMessage,
  type TrainRequest,
} from '../../io/embed-protocol';
import { urlOptions } from '../../io/share-url';
import { summaryJson } from '../../io/summary/json';
import type { Notice } from '../../state/notice-slice';
import { failureText } from '../recovery/load-failure';
import { analysisOf, appStore } from '../../state/store';
import type { TrainingRun } from '../../state/train-slice';

type Post = (message: AppMessage) => void;

/** Training news for the host: progress as steps arrive (several a second), the result, failures. */
function reportRun(run: TrainingRun, previous: TrainingRun, post: Post): void {
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
/** The error notices the host was told of (by id), and the last one's text and when (performance.now()). */
const told = new Set<number>();
let lastTold: { readonly text: string; readonly at: number } | null = null;
/**
 * The same error raised again within this time is the same event: in development React runs
 * effects twice, so a failing `?src=` is fetched, and reported, twice.
 */
const SAME_EVENT_MS = 1000;
/** A bad `?origin=` is shown once, not once per effect run. */
let originRefused = false;
/**
 * A start is under way between a `convscope:train` and the run's status becoming 'starting' (the
 * trainer's code loads in between): set at once, so a second train in that gap is refused too.
 */
let startPending = false;

/**
 * The trainer's code, loaded when first needed. When it cannot be (offline, a new deployment),
 * the frame says so, and so the host hears it as `convscope:error`.
 */
function loadTrainer() {
  return import('../train/trainer').catch((e: unknown) => {
    appStore.getState().notify('error', `${failureText('Training', e)} Check the connection and try again.`);
    return null;
  });
}

/** Starts a host's run with the Train panel's settings for what the host leaves out. */
function startRun(asked: TrainRequest): void {
  const { url, backend, maxTrainSamples, maxTestSamples, ...config } = asked;
  const { maxTrainSamples: _a, maxTestSamples: _b, url: _c, backend: _d, ...kept } = appStore.getState().trainSettings;
  startPending = true;
  void loadTrainer()
    .then((trainer) =>
      trainer?.startTraining({
        ...kept,
        ...config,
        // The host named its data set: it is not replaced by the one the model fits.
        datasetPicked: true,
        ...(url ? { url } : {}),
        ...(backend ? { backend } : {}),
        ...(maxTrainSamples ? { maxTrainSamples } : {}),
        ...(maxTestSamples ? { maxTestSamples } : {}),
      }),
    )
    .finally(() => {
      startPending = false;
    });
}

/** Does what a host's message asks (docs/embed-api.md), or answers why not. */
function obey(data: unknown, post: Post): void {
  const { status } = appStore.getState().run;
  const busy = startPending || status === 'starting' || status === 'running' || status === 'paused';
  const action = answerHostMessage(data, busy);
  switch (action.kind) {
    case 'ignore':
      return;
    case 'error':
      return post({ type: 'convscope:error', message: action.message });
    case 'train':
      return startRun(action.config);
    case 'stop':
      return void loadTrainer().then((trainer) => trainer?.stopTraining());
    case 'load':
      return appStore.getState().loadModel(action.model, 'embed');
  }
}

/**
 * Every error the frame shows (a failing `?src=` or link, a part of the app that failed to load)
 * goes to the host too, once. The handler's own answers to bad messages are posted directly and
 * raise no notice, so none is sent twice.
 */
function forwardNotices(notices: readonly Notice[], post: Post): void {
  for (const notice of notices) {
    if (notice.kind !== 'error' || told.has(notice.id)) continue;
    told.add(notice.id);
    const at = performance.now();
    const again = lastTold !== null && lastTold.text === notice.text && at - lastTold.at < SAME_EVENT_MS;
    lastTold = { text: notice.text, at };
    if (!again) post({ type: 'convscope:error', message: shortened(notice.text) });
  }
}

/**
 * The embed API (docs/embed-api.md): in `?embed=1`, say `convscope:ready`, accept
 * `convscope:load`, `convscope:train` and `convscope:stop` from the host (only from `?origin=`
 * when given), and send `convscope:summary` after each load and change, `convscope:progress`
 * while training, `convscope:trained` at the end, `convscope:error` when something fails.
 * An `?origin=` that names no web origin is shown as an error, and the app then talks to nobody.
 */
export function useEmbedApi(): void {
  useEffect(() => {
    const options = urlOptions(window.location.search);
    if (!options.embed) return;
    if (options.origin && !options.origin.ok) {
      if (!originRefused) appStore.getState().notify('error', options.origin.error, { topic: 'origin' });
      originRefused = true;
      return;
    }
    if (window.parent === window) return;
    const allowed = options.origin?.origin ?? null;
    const post: Post = (message) => {
      try {
        window.parent.postMessage(message, allowed ?? '*');
      } catch {
        // Only a message that cannot be cloned throws here, and ours are plain data: nothing to tell.
      }
    };
    const sendSummary = () =>
      post({ type: 'convscope:summary', summary: summaryJson(analysisOf(appStore.getState().model)) });
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent) return;
      if (allowed !== null && event.origin !== allowed) return;
      obey(event.data, post);
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
      if (state.notices !== previous.notices) forwardNotices(state.notices, post);
    });
    if (!greeted) {
      greeted = true;
      post({ type: 'convscope:ready', version: EMBED_API_VERSION });
      sendSummary();
    }
    // A notice raised before this ran (a bad link in the address) is news for the host too.
    forwardNotices(appStore.getState().notices, post);
    return () => {
      window.removeEventListener('message', onMessage);
      clearInterval(heartbeat);
      unsubscribe();
    };
  }, []);
}
