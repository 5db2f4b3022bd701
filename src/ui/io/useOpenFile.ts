import { useCallback } from 'react';
import { HEAD_BYTES, modelSizeLimit, readModelBytes, tooLargeText } from '../../io/read-model';
import { useAppStore } from '../../state/store';

/** Reads a dropped or chosen file as a model (JSON or ONNX); a bad file is reported and the model kept. */
export function useOpenFile() {
  const loadModel = useAppStore((s) => s.loadModel);
  const notify = useAppStore((s) => s.notify);
  return useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
      if (file.size > modelSizeLimit(head)) {
        notify('error', `${tooLargeText(file.name, file.size, head)} The current model is kept.`);
        return;
      }
      const read = await readModelBytes(new Uint8Array(await file.arrayBuffer()), file.name);
      if (read.ok) {
        loadModel(read.model, `file:${file.name}`);
        notify('info', `Opened ${file.name}.`);
      } else notify('error', `${file.name}: ${read.error} The current model is kept.`);
    },
    [loadModel, notify],
  );
}
