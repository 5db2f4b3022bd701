import { useCallback } from 'react';
import { MAX_MODEL_BYTES, readModelText } from '../../io/read-model';
import { useAppStore } from '../../state/store';

/** Reads a dropped or chosen file as a model; a bad file is reported and the model kept. */
export function useOpenFile() {
  const loadModel = useAppStore((s) => s.loadModel);
  const notify = useAppStore((s) => s.notify);
  return useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      if (file.size > MAX_MODEL_BYTES) {
        notify(
          'error',
          `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; model files are at most ${MAX_MODEL_BYTES / 2 ** 20} MB. The current model is kept.`,
        );
        return;
      }
      const read = readModelText(await file.text());
      if (read.ok) {
        loadModel(read.model, `file:${file.name}`);
        notify('info', `Opened ${file.name}.`);
      } else notify('error', `${file.name}: ${read.error} The current model is kept.`);
    },
    [loadModel, notify],
  );
}
