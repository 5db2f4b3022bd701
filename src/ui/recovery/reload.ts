import { modelToHash } from '../../io/share-url';
import { appStore } from '../../state/store';

/**
 * Reloads the page into the new version with the model on screen: it is written into the address
 * first (the address is written a moment after each edit, and the autosave only when the page
 * goes), so the reloaded page opens exactly it.
 */
export function reloadKeepingModel(): void {
  const { pathname, search } = window.location;
  window.history.replaceState(
    window.history.state,
    '',
    `${pathname}${search}${modelToHash(appStore.getState().model)}`,
  );
  window.location.reload();
}
