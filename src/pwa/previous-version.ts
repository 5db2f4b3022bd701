import type { PrecacheController } from 'workbox-precaching';
import { ASK_VERSION, PREVIOUS_VERSION_CACHE } from './versions';

/**
 * A new deploy replaces the site's folder, and the new service worker's precache drops the
 * files only the previous version used; but a page opened before the deploy still runs the
 * previous version and loads its parts (the Train panel, the export dialog, the training worker)
 * only when asked. So before the precache drops them, the files move to a cache of their own
 * (served after the precache, `routePrevious`), which goes once no open page runs a version that
 * may need it (`forgetPreviousIfUnused`).
 */

/** How long a page has to say which version it runs; one that stays silent counts as old. */
const ANSWER_MS = 3000;

/** The precached files the new manifest no longer lists, copied aside; call on install, before `precache.activate`. */
export async function keepOutdated(precache: PrecacheController): Promise<void> {
  const cache = await caches.open(precache.strategy.cacheName);
  const current = new Set(precache.getURLsToCacheKeys().values());
  // Revisioned entries (index.html, the web manifest) are never loaded again by an old page.
  const outdated = (await cache.keys()).filter(
    (request) => !current.has(request.url) && !new URL(request.url).searchParams.has('__WB_REVISION__'),
  );
  if (outdated.length === 0) return;
  const previous = await caches.open(PREVIOUS_VERSION_CACHE);
  for (const request of outdated) {
    const response = await cache.match(request);
    if (response) await previous.put(request, response);
  }
}

/** The entry script each open window runs, or null for one that did not say in time. */
async function openVersions(clients: Clients): Promise<(string | null)[]> {
  const windows = await clients.matchAll({ type: 'window' });
  return Promise.all(
    windows.map(
      (client) =>
        new Promise<string | null>((resolve) => {
          const channel = new MessageChannel();
          const timer = setTimeout(() => resolve(null), ANSWER_MS);
          channel.port1.onmessage = (event: MessageEvent<unknown>) => {
            clearTimeout(timer);
            resolve(typeof event.data === 'string' ? event.data : null);
          };
          client.postMessage({ type: ASK_VERSION }, [channel.port2]);
        }),
    ),
  );
}

/** Deletes the previous versions' files when every open window runs the current version. */
export async function forgetPreviousIfUnused(precache: PrecacheController, clients: Clients): Promise<boolean> {
  if (!(await caches.has(PREVIOUS_VERSION_CACHE))) return false;
  const versions = await openVersions(clients);
  if (!versions.every((entry) => entry !== null && precache.getCacheKeyForURL(entry) !== undefined)) return false;
  return caches.delete(PREVIOUS_VERSION_CACHE);
}
