import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { cleanupOutdatedCaches, PrecacheController, PrecacheRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { isolated } from './isolation';
import { forgetPreviousIfUnused, keepOutdated } from './previous-version';
import { IS_CURRENT, messageType, PAGE_STARTED, PREVIOUS_VERSION_CACHE } from './versions';

/**
 * The built site's service worker: it precaches the site, so it keeps working offline once
 * loaded from whatever sub-path it is served, and it adds the isolation headers (isolation.ts)
 * to everything it serves, so a static host that can't send them (GitHub Pages) still gets WASM
 * threads, from the first reload on.
 *
 * A new version takes over at once (new pages get it), and the pages still open on the version
 * before keep working: its files stay in a cache of their own until no open page runs it
 * (previous-version.ts); each such page offers a reload (src/pwa/register.ts).
 */
declare const self: typeof globalThis & {
  readonly __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  readonly registration: { readonly scope: string };
  readonly clients: Clients & { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
};

/** The events this worker handles, as far as it uses them (the DOM library has no worker types). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}

const isolate: WorkboxPlugin = { handlerWillRespond: async ({ response }) => isolated(response) };
const precache = new PrecacheController({ plugins: [isolate] });
precache.addToCacheList(self.__WB_MANIFEST);

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
self.addEventListener('install', (event) => {
  // The version before's files are copied aside while its worker still serves the open pages:
  // once this one takes over, their requests reach it even before its activate step has ended
  // (seen in Chromium), so copying there would come too late for some.
  (event as ExtendableEvent).waitUntil(keepOutdated(precache));
  void precache.install(event as ExtendableEvent);
});
self.addEventListener('activate', (event) => {
  void precache.activate(event as ExtendableEvent);
});
self.addEventListener('message', (event) => {
  const message = event as unknown as ExtendableMessageEvent;
  const type = messageType(message.data);
  if (type === PAGE_STARTED) message.waitUntil(forgetPreviousIfUnused(precache, self.clients));
  if (type === IS_CURRENT) {
    const entry = (message.data as { entry?: unknown }).entry;
    message.ports[0]?.postMessage(typeof entry === 'string' && precache.getCacheKeyForURL(entry) !== undefined);
  }
});

registerRoute(new PrecacheRoute(precache));
registerRoute(new NavigationRoute(precache.createHandlerBoundToURL('index.html')));
// MNIST (20 MB, loaded only when chosen) is cached when first used rather than up front.
registerRoute(/\/mnist-[^/]*\.js$/, new CacheFirst({ cacheName: 'mnist', plugins: [isolate] }));
// A file of the version before, for a page still running it; never stored here from the network.
const assets = new URL('assets/', self.registration.scope).href;
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.href.startsWith(assets),
  new CacheFirst({ cacheName: PREVIOUS_VERSION_CACHE, plugins: [isolate, { cacheWillUpdate: async () => null }] }),
);
