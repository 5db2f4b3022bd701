import { Suspense, useRef, useState } from 'react';
import { linkFor } from '../../state/link-fit';
import { appStore, useAppStore } from '../../state/store';
import type { Theme } from '../../state/view-slice';
import { ErrorBoundary } from '../ErrorBoundary';
import { ImportDialog } from '../io/ImportDialog';
import { saveModelFile } from '../io/save-file';
import { useOpenFile } from '../io/useOpenFile';
import { newModel } from '../../presets/blank';
import { lazyPart } from '../recovery/lazy-part';
import { ModelPicker } from './ModelPicker';
import { NotationSwitch } from './NotationSwitch';

const ExportDialog = lazyPart(() => import('../export/ExportDialog'));

/** The app's header: models in and out, undo/redo, notation, lecture mode and theme. */
export function Toolbar() {
  const canUndo = useAppStore((s) => s.past.length > 0);
  const canRedo = useAppStore((s) => s.future.length > 0);
  const lecture = useAppStore((s) => s.lecture);
  const theme = useAppStore((s) => s.theme);
  const { undo, redo, setLecture, setTheme, notify, loadModel } = appStore.getState();
  const fileInput = useRef<HTMLInputElement>(null);
  const openFile = useOpenFile();
  const [pasting, setPasting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const save = () => saveModelFile(appStore.getState().model);
  const share = async () => {
    const model = appStore.getState().model;
    const base = `${window.location.origin}${window.location.pathname}`;
    const fit = linkFor(model, base.length);
    if (!fit.ok) {
      notify('info', 'This model is too big for a link; save it as a file to share it.', {
        topic: 'link',
        actions: [{ label: 'Save file', run: save }],
      });
      return;
    }
    const url = `${base}${fit.hash}`;
    try {
      await navigator.clipboard.writeText(url);
      notify('info', 'Link copied: it reopens this model exactly.');
    } catch {
      window.history.replaceState(null, '', url);
      notify('info', 'The address bar now holds a link to this model.');
    }
  };

  return (
    <header className="app-header">
      <div className="brand">
        <h1>ConvScope</h1>
        <p>Every tensor’s shape, every kernel, exactly.</p>
      </div>
      <div className="controls">
        <ModelPicker />
        <div className="button-row" role="group" aria-label="Model file">
          <button type="button" onClick={() => loadModel(newModel(), 'new')}>
            New
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Open…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,.h5,.hdf5,.keras,.onnx,application/json"
            hidden
            onChange={(e) => void openFile(e.target.files?.[0])}
          />
          <button type="button" onClick={() => setPasting(true)}>
            Paste…
          </button>
          <button type="button" onClick={save}>
            Save
          </button>
          <button type="button" onClick={() => void share()}>
            Share link
          </button>
          <button type="button" onClick={() => setExporting(true)}>
            Export code…
          </button>
        </div>
        <div className="button-row" role="group" aria-label="History">
          <button type="button" onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z" title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button
            type="button"
            onClick={redo}
            disabled={!canRedo}
            aria-keyshortcuts="Control+Shift+Z"
            title="Redo (Ctrl+Shift+Z)"
          >
            ↷ Redo
          </button>
        </div>
        <NotationSwitch />
        <div className="button-row">
          <button type="button" aria-pressed={lecture} onClick={() => setLecture(!lecture)}>
            Lecture mode
          </button>
          <label className="compact-select">
            <span className="visually-hidden">Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="Theme">
              <option value="system">System theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </div>
      </div>
      {pasting && <ImportDialog onClose={() => setPasting(false)} />}
      {exporting && (
        <ErrorBoundary part="The export dialog" onRetry={ExportDialog.retry} onClose={() => setExporting(false)}>
          <Suspense fallback={null}>
            <ExportDialog.Part onClose={() => setExporting(false)} />
          </Suspense>
        </ErrorBoundary>
      )}
    </header>
  );
}
