/**
 * What the pages and the service worker say to each other about versions. A page's version is
 * its entry script's address (`assets/index-<hash>.js`): the hash changes whenever any file the
 * page can load changes, because the entry names them all, so a page whose entry the service
 * worker precaches can find every file it needs there.
 */

/** Service worker to page, with a port: answer on it with your entry script's address. */
export const ASK_VERSION = 'convscope:which-version';

/** Page to service worker, when a page has started: files no open page needs can go. */
export const PAGE_STARTED = 'convscope:page-started';

/** Page to service worker, with a port and `entry`: answer `true` if you precache that entry. */
export const IS_CURRENT = 'convscope:is-current';

/** The cache of an earlier version's files that open pages of that version may still load. */
export const PREVIOUS_VERSION_CACHE = 'convscope-previous-versions';

/** `data.type` when `data` is an object with a string `type`, else null. */
export function messageType(data: unknown): string | null {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string'
    ? (data as { type: string }).type
    : null;
}
