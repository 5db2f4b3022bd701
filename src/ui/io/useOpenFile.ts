import { useCallback } from 'react';
import { HEAD_BYTES, modelFileLimit, notesText, readModelFile, tooLargeText } from '../../io/read-model-file';
import { holdFileWeights } from '../../state/file-weights';
import { appStore, useAppStore } from '../../state/store';

/**
 * Reads a dropped or chosen file as a model (JSON, Keras `.h5` or `.keras`, ONNX); a bad file is
 * reported and the model kept. A file over the JSON limit is read only if its first bytes say it
 * is one of the binary formats, up to that format's limit.
 */
export function useOpenFile() {
  const loadModel = useAppStore((s) => s.loadModel);
  const notify = useAppStore((s) => s.notify);
  return useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
      if (file.size > modelFileLimit(head)) {
        notify('error', `${tooLargeText(file.name, file.size, head)} The current model is kept.`);
        return;
      }
      const read = await readModelFile(new Uint8Array(await file.arrayBuffer()), file.name);
      if (read.ok) {
        holdFileWeights(appStore.getState(), read.model, `file:${file.name}`, read.fileWeights);
        loadModel(read.model, `file:${file.name}`);
        notify('info', `Opened ${file.name}.${read.notes ? ` Its weights do not fit: ${notesText(read.notes)}` : ''}`);
      } else notify('error', `${file.name}: ${read.error} The current model is kept.`);
    },
    [loadModel, notify],
  );
}
