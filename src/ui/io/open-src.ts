import { fetchModel } from '../../io/fetch-model';
import { quoted } from '../../state/autosave-notices';
import { holdFileWeights } from '../../state/file-weights';
import { appStore } from '../../state/store';

/** The address of `?src=` for a sentence: absolute, and shortened. */
function where(src: string, base: string): string {
  let text = src;
  try {
    text = new URL(src, base).href;
  } catch {
    // Not a URL: fetchModel says so.
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * Opens the model at `?src=`, saying "Loading…" meanwhile. If the person changed the model before
 * it arrived, their work is not replaced: a notice asks, and opening it anyway leaves their changes
 * in Undo. `opened` runs after the model is on screen.
 */
export async function openFromSrc(src: string, base: string, opened: () => void): Promise<void> {
  const from = where(src, base);
  appStore.getState().notify('info', `Loading the model from ${from}…`, { topic: 'src', lasting: true });
  const before = appStore.getState().model;
  const read = await fetchModel(src, base);
  const { notify, dismiss, loadModel } = appStore.getState();
  if (!read.ok) {
    notify('error', `${read.error} The previous model is kept.`, { topic: 'src' });
    return;
  }
  const open = (byUser?: boolean) => {
    holdFileWeights(appStore.getState(), read.model, `url:${src}`, read.fileWeights);
    loadModel(read.model, `url:${src}`, byUser);
  };
  if (appStore.getState().model === before) {
    open();
    dismiss('src');
    opened();
    return;
  }
  const name = quoted(read.model.name);
  notify('info', `The model from ${from} (${name}) has arrived, but you have changed the model since.`, {
    topic: 'src',
    actions: [
      {
        label: 'Open it',
        run: () => {
          open(true);
          notify('info', `Opened ${name}. Undo brings your changes back.`, { topic: 'src' });
        },
      },
      { label: 'Keep mine', run: () => undefined },
    ],
  });
}
