import { ASK_VERSION, IS_CURRENT, messageType, PAGE_STARTED } from './versions';

/**
 * The page's side of the service worker (sw.ts): it registers it, tells it which version this
 * page runs, and says when a newer version has taken over (`newVersionReady`), so the page can
 * offer a reload. A new version is looked for when the page is opened elsewhere, every hour, and
 * when the page comes back into view.
 */

const CHECK_EVERY_MS = 60 * 60 * 1000;
const CHECK_ON_VIEW_AFTER_MS = 10 * 60 * 1000;

let ready = false;
const listeners = new Set<() => void>();

/** Whether a newer version of the site than this page's has taken over; the page still works. */
export const newVersionReady = (): boolean => ready;

/** Calls `listener` when `newVersionReady` changes; returns the unsubscribe (as useSyncExternalStore wants). */
export function onNewVersion(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(): void {
  if (ready) return;
  ready = true;
  for (const listener of listeners) listener();
}

/** This page's entry script: the version it runs (versions.ts). */
function entryScript(): string | null {
  return document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src ?? null;
}

/** Asks the worker now in control whether it still serves this page's version; silence means no. */
function askIfCurrent(worker: ServiceWorker, entry: string): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 5000);
    channel.port1.onmessage = (event: MessageEvent<unknown>) => {
      clearTimeout(timer);
      resolve(event.data === true);
    };
    worker.postMessage({ type: IS_CURRENT, entry }, [channel.port2]);
  });
}

/** Looks for a new version now and then; offline, or with the server down, it tries again later. */
function checkForUpdates(registration: ServiceWorkerRegistration): void {
  let last = Date.now();
  const check = () => {
    last = Date.now();
    registration.update().catch(() => undefined);
  };
  setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && Date.now() - last > CHECK_ON_VIEW_AFTER_MS) check();
  });
}

/** Registers the service worker at `url` (the built site's sw.js) for the folder the page is in. */
export function registerServiceWorker(url: string): void {
  if (!('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  const entry = entryScript();
  container.addEventListener('message', (event) => {
    if (messageType(event.data) === ASK_VERSION) event.ports[0]?.postMessage(entry);
  });
  // The first worker taking control of a new visitor's page is no new version; a later one may be.
  let controlled = container.controller !== null;
  container.addEventListener('controllerchange', () => {
    const worker = container.controller;
    if (controlled && worker && entry)
      void askIfCurrent(worker, entry).then((current) => {
        if (!current) announce();
      });
    controlled = true;
  });
  container.startMessages();
  const start = () =>
    container
      .register(url, { scope: './' })
      .then((registration) => {
        checkForUpdates(registration);
        return container.ready;
      })
      .then((registration) => registration.active?.postMessage({ type: PAGE_STARTED }))
      .catch(() => undefined); // No service worker (private mode, file://): the site works, online only.
  if (document.readyState === 'complete') void start();
  else window.addEventListener('load', () => void start(), { once: true });
}
