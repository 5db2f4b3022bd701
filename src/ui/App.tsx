import { useEffect } from 'react';
import { useAppStore } from '../state/store';
import { useAutosave } from './hooks/useAutosave';
import { useEmbedApi } from './hooks/useEmbedApi';
import { useLoadFailures } from './hooks/useLoadFailures';
import { useShortcuts } from './hooks/useShortcuts';
import { useUrlSync } from './hooks/useUrlSync';
import { useDenseSizeNotice } from './inspector/DenseSizeNote';
import { Inspector } from './inspector/Inspector';
import { LayerProblems } from './inspector/LayerProblems';
import { useFileDrop } from './io/useFileDrop';
import { LayerList } from './layers/LayerList';
import { Editor } from './layout/Editor';
import { NoticeBar } from './layout/NoticeBar';
import { NotationSwitch } from './layout/NotationSwitch';
import { SkipLink } from './layout/SkipLink';
import { Toolbar } from './layout/Toolbar';
import { UpdateNotice } from './recovery/UpdateNotice';
import { LectureHeader, LectureView } from './views/LectureView';
import { selectAnalysis } from '../state/store';

/** Applies theme, lecture mode and zoom to the document root. */
function useDocumentSettings() {
  const theme = useAppStore((s) => s.theme);
  const lecture = useAppStore((s) => s.lecture);
  const zoom = useAppStore((s) => s.zoom);
  const embedded = useAppStore((s) => s.embedded);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset['theme'] = theme;
    root.classList.toggle('lecture', lecture);
    root.classList.toggle('embedded', embedded);
    root.style.setProperty('--zoom', String(zoom));
  }, [theme, lecture, zoom, embedded]);
}

export function App() {
  useUrlSync();
  useAutosave();
  useEmbedApi();
  useShortcuts();
  useFileDrop();
  useLoadFailures();
  useDenseSizeNotice();
  useDocumentSettings();
  const embedded = useAppStore((s) => s.embedded);
  const lecture = useAppStore((s) => s.lecture);
  if (embedded) return <EmbeddedApp />;
  return (
    <>
      {!lecture && <SkipLink />}
      {lecture ? <LectureHeader /> : <Toolbar />}
      <UpdateNotice />
      <NoticeBar />
      {lecture ? <LectureView /> : <Editor />}
    </>
  );
}

/** `?embed=1`: no app chrome; the layers and the selected layer's explanation, fitting the frame. */
function EmbeddedApp() {
  const analysis = useAppStore(selectAnalysis);
  return (
    <main className="embed">
      <div className="embed-header">
        <h1 className="model-title">{analysis.model.name}</h1>
        <NotationSwitch />
      </div>
      <NoticeBar />
      <LayerProblems analysis={analysis} layer={null} />
      <LayerList />
      <Inspector />
    </main>
  );
}
