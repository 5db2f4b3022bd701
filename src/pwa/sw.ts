import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { isolated } from './isolation';

/**
 * The built site's service worker: it precaches the site, so it keeps working offline once
 * loaded from whatever sub-path it is served, and it adds the isolation headers (isolation.ts)
 * to everything it serves, so a static host that can't send them (GitHub Pages) still gets WASM
 * threads, from the first reload on.
 */
declare const self: typeof globalThis & {
  readonly __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
};

const isolate: WorkboxPlugin = { handlerWillRespond: async ({ response }) => isolated(response) };

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
addPlugins([isolate]);
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// MNIST (20 MB, loaded only when chosen) is cached when first used rather than up front.
registerRoute(/\/mnist-[^/]*\.js$/, new CacheFirst({ cacheName: 'mnist', plugins: [isolate] }));
