import { appStore } from '../../state/store';
import { linkFor } from '../../state/link-fit';

/**
 * Reloads the page into the new version with the model on screen: it is written into the address
 * first (the address is written a moment after each edit, and the autosave only when the page
 * goes), so the reloaded page opens exactly it. A model too big for a link is left to the tab's
 * session, which the page writes as it goes (useUrlSync).
 */
export function reloadKeepingModel(): void {
  const { origin, pathname, search } = window.location;
  const fit = linkFor(appStore.getState().model, `${origin}${pathname}${search}`.length);
  if (fit.ok) window.history.replaceState(window.history.state, '', `${pathname}${search}${fit.hash}`);
  window.location.reload();
}
