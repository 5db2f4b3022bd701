import { appStore } from '../../state/store';

/** The row a skip to the layers lands on: the selected one, or the first. */
function focusLayers() {
  const { selected } = appStore.getState();
  const rows = document.querySelector('.layer-list .rows');
  const target =
    (selected === null ? null : rows?.querySelector<HTMLElement>(`[data-row="${CSS.escape(selected)}"] .row-main`)) ??
    rows?.querySelector<HTMLElement>('.row-main');
  target?.focus();
}

/**
 * "Skip to layers", the page's first Tab stop, shown only while focused: it moves the focus past
 * the toolbar and the palette onto the layer list (switching to the Editor tab if another is open).
 * The address is left alone, since its hash holds the model.
 */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#layers-title"
      onClick={(e) => {
        e.preventDefault();
        if (appStore.getState().panel === 'layers') return focusLayers();
        appStore.getState().setPanel('layers');
        requestAnimationFrame(focusLayers);
      }}
    >
      Skip to layers
    </a>
  );
}
