import { useEffect } from 'react';
import type { Model } from '../../engine/model/model';
import { fetchModel } from '../../io/fetch-model';
import { holdFileWeights } from '../../state/file-weights';
import { modelFromHash, urlOptions, type UrlOptions } from '../../io/share-url';
import { restoreAutosave, sayAutosaveKept } from '../../state/autosave-notices';
import { sizeText } from '../../io/size-text';
import { linkFor, MAX_URL_CHARS } from '../../state/link-fit';
import {
  applyView,
  currentView,
  modelPart,
  readKeptView,
  readLinkView,
  withView,
  writeKeptView,
  type LinkView,
} from '../../state/link-view';
import { decodeSession, SESSION_KEY, writeSession } from '../../state/session-history';
import { appStore } from '../../state/store';
import { openFromSrc } from '../io/open-src';
import { saveModelFile } from '../io/save-file';
import { localStore } from './useAutosave';

/** The model is opened once per page, though React may run effects twice (StrictMode). */
let started = false;

/** The search without `lecture`, which the hash's view settings now hold (old links keep working). */
function search(): string {
  const params = new URLSearchParams(window.location.search);
  params.delete('lecture');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** What a reload must match to put the tab's session back: the address without its view settings. */
const address = () => `${window.location.pathname}${search()}${modelPart(window.location.hash)}`;

/** Writes the view settings on screen into the address, in place (no history entry). */
function writeView(): void {
  const hash = withView(window.location.hash, currentView(appStore.getState()));
  if (hash === window.location.hash && search() === window.location.search) return;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search()}${hash}`);
}

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The model at start: this tab's own state when it is a reload of the same address (model, undo
 * and redo as they were), else the link's hash, else `?src=`, else the last autosave, else the
 * default preset. A bad link or file is reported and the previous model kept.
 */
function openAtStart(options: UrlOptions, view: Partial<LinkView>): void {
  const { notify, restoreHistory, loadModel: load } = appStore.getState();
  const session = decodeSession(readSafely(sessionStore(), SESSION_KEY));
  const here = session?.address === address() ? session : null;
  if (here?.model) {
    restoreHistory(here.model, here.source, here.past, here.future);
    applyView(appStore, view);
    // The address may hold an older model (this one was too big for a link): say so again.
    writeAddress(false);
    return;
  }
  // A reload after a model too big to keep: the hash is older than what was on screen.
  const hashModel = here ? undefined : modelFromHash(window.location.hash);
  const storage = localStore();
  if (hashModel?.ok) {
    load(hashModel.model, 'link');
    applyView(appStore, view);
    if (storage) sayAutosaveKept(appStore, storage);
    return;
  }
  if (hashModel) notify('error', `${hashModel.error} Showing the default model instead.`);
  else if (!options.src && storage) restoreAutosave(appStore, storage);
  // No model in the link: the notation this browser kept, unless the link names one.
  applyView(appStore, { ...readKeptView(storage), ...view });
  if (options.src)
    void openFromSrc(options.src, window.location.href, () => {
      applyView(appStore, view);
      if (storage) sayAutosaveKept(appStore, storage);
    });
}

function readSafely(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Embedded in another page: the model from the hash or `?src=`; the address is never written. */
function openEmbedded(options: UrlOptions, view: Partial<LinkView>): void {
  const hashModel = modelFromHash(window.location.hash);
  if (hashModel?.ok) appStore.getState().loadModel(hashModel.model, 'link');
  applyView(appStore, view);
  if (hashModel?.ok) return;
  if (hashModel) appStore.getState().notify('error', `${hashModel.error} Showing the default model instead.`);
  if (options.src) {
    void fetchModel(options.src, window.location.href).then((read) => {
      if (!read.ok) appStore.getState().notify('error', `${read.error} The previous model is kept.`);
      else {
        holdFileWeights(appStore.getState(), read.model, `url:${options.src}`, read.fileWeights);
        appStore.getState().loadModel(read.model, `url:${options.src}`);
        applyView(appStore, view);
      }
    });
  }
}

/**
 * Writes the model into the address: the person's changes as history entries (back and forward
 * step through edits), models from elsewhere in place. A model too big for a link leaves the
 * address as it was and says so once; the tab's session then holds it for a reload.
 */
function writeAddress(push: boolean): void {
  const { model, linkHoldsModel, notify, dismiss } = appStore.getState();
  const prefix = `${window.location.origin}${window.location.pathname}${search()}`;
  const fit = linkFor(model, prefix.length);
  if (fit.ok) {
    if (!linkHoldsModel) appStore.setState({ linkHoldsModel: true });
    dismiss('link');
    const hash = withView(fit.hash, currentView(appStore.getState()));
    if (hash === window.location.hash && search() === window.location.search) return;
    const url = `${window.location.pathname}${search()}${hash}`;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
    return;
  }
  if (!linkHoldsModel) return;
  appStore.setState({ linkHoldsModel: false });
  const size = fit.compressed ? `its link would be ${sizeText(fit.chars)}` : `its file is ${sizeText(fit.chars)}`;
  notify(
    'info',
    `This model is too big for a link (${size}; links hold up to ${sizeText(MAX_URL_CHARS)}), so the address still shows the last model that fitted. A reload of this tab keeps this one; to share it, save it as a file.`,
    { topic: 'link', actions: [{ label: 'Save file', run: () => saveModelFile(appStore.getState().model) }] },
  );
}

/**
 * Keeps the model in the URL and the tab's session (see openAtStart and writeAddress). Both are
 * written when the browser is idle, so typing never waits for compression; edits within a moment
 * of each other (typing "128") make one history entry. In embed mode the address is never
 * touched: the host page's Back button is the host's.
 */
export function useUrlSync(): void {
  useEffect(() => {
    const options = urlOptions(window.location.search);
    const first = !started;
    started = true;
    const view = readLinkView(window.location.hash);
    if (first) appStore.setState({ embedded: options.embed, lecture: options.lecture });
    if (options.embed) return first ? openEmbedded(options, view) : undefined;
    if (first) openAtStart(options, view);
    let fromAddress = false;
    const load = (model: Model, source: string) => {
      fromAddress = true;
      appStore.getState().loadModel(model, source);
      fromAddress = false;
    };
    let pending: ReturnType<typeof setTimeout> | undefined;
    let push: boolean | null = null;
    const flush = () => {
      if (pending === undefined) return;
      clearTimeout(pending);
      pending = undefined;
      if (push !== null) writeAddress(push);
      push = null;
      // A model too big for a link leaves the hash's model as it was, but not the view.
      writeView();
      const storage = sessionStore();
      const { model, modelSource, past, future } = appStore.getState();
      if (storage) writeSession(storage, address(), modelSource, model, past, future);
    };
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.model === previous.model) return;
      if (!fromAddress) push = (push ?? false) || state.byUser;
      clearTimeout(pending);
      pending = setTimeout(flush, 250);
    });
    // A model waiting to be written takes the view with it.
    const stopView = followView(() => pending !== undefined);
    const onPopState = () => {
      const read = modelFromHash(window.location.hash);
      if (read?.ok) load(read.model, 'history');
      else if (read) appStore.getState().notify('error', `${read.error} The previous model is kept.`);
      // Back and forward step through models; the notation, layer and picture stay as they are.
      writeView();
    };
    window.addEventListener('popstate', onPopState);
    window.addEventListener('pagehide', flush);
    return () => {
      flush();
      unsubscribe();
      stopView();
      window.removeEventListener('popstate', onPopState);
      window.removeEventListener('pagehide', flush);
    };
  }, []);
}

/**
 * Keeps the view settings (see LinkView) in the address, in place, a moment after they change
 * (stepping through layers makes one write, not one per layer); the notation also in this browser.
 * Only the settings are rewritten: the model's part of the hash is kept as it is, never compressed
 * again. `modelPending`: a model write is coming, which writes the view too.
 */
function followView(modelPending: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    timer = undefined;
    if (!modelPending()) writeView();
  };
  const unsubscribe = appStore.subscribe((state, previous) => {
    const now = currentView(state);
    const before = currentView(previous);
    if ((Object.keys(now) as (keyof LinkView)[]).every((k) => now[k] === before[k])) return;
    if (now.notation !== before.notation) writeKeptView(localStore(), now);
    clearTimeout(timer);
    timer = setTimeout(write, 100);
  });
  return () => {
    clearTimeout(timer);
    if (timer !== undefined) write();
    unsubscribe();
  };
}
