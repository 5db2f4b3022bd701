import { useCallback } from 'react';
import { modelFileLimit, notesText, readModelFile } from '../../io/read-model-file';
import { useAppStore } from '../../state/store';

/**
 * Reads a dropped or chosen file as a model (JSON, Keras `.h5` or `.keras`); a bad file is
 * reported and the model kept. A file over the JSON limit is read only if its first bytes say
 * zip or HDF5.
 */
export function useOpenFile() {
  const loadModel = useAppStore((s) => s.loadModel);
  const notify = useAppStore((s) => s.notify);
  return useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      const limit = modelFileLimit(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
      if (file.size > limit) {
        notify(
          'error',
          `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; model files are at most ${limit / 2 ** 20} MB. The current model is kept.`,
        );
        return;
      }
      const read = await readModelFile(new Uint8Array(await file.arrayBuffer()), file.name);
      if (read.ok) {
        loadModel(read.model, `file:${file.name}`);
        notify('info', `Opened ${file.name}.${read.notes ? ` Its weights do not fit: ${notesText(read.notes)}` : ''}`);
      } else notify('error', `${file.name}: ${read.error} The current model is kept.`);
    },
    [loadModel, notify],
  );
}
