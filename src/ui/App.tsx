import { Suspense, useEffect } from 'react';
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
import { NoticeBar } from './layout/NoticeBar';
import { NotationSwitch } from './layout/NotationSwitch';
import { SkipLink } from './layout/SkipLink';
import { Toolbar } from './layout/Toolbar';
import { ErrorBoundary } from './ErrorBoundary';
import { Palette } from './palette/Palette';
import { lazyPart } from './recovery/lazy-part';
import { UpdateNotice } from './recovery/UpdateNotice';
import { SummaryTable } from './summary/SummaryTable';
import { Totals } from './summary/Totals';
import { LectureHeader, LectureView } from './views/LectureView';
import { ViewsPanel } from './views/ViewsPanel';
import { selectAnalysis } from '../state/store';

const TrainPanel = lazyPart(async () => ({ default: (await import('./train/TrainPanel')).TrainPanel }));

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
  const panel = useAppStore((s) => s.panel);
  const setPanel = useAppStore((s) => s.setPanel);
  const analysis = useAppStore(selectAnalysis);
  if (embedded) return <EmbeddedApp />;
  return (
    <>
      {!lecture && <SkipLink />}
      {lecture ? <LectureHeader /> : <Toolbar />}
      <UpdateNotice />
      <NoticeBar />
      {lecture ? (
        <LectureView />
      ) : (
        <main className="editor">
          <Palette />
          <div className="center">
            <h2 className="model-title" id="model-title">
              {analysis.model.name}
            </h2>
            {analysis.model.description && <p className="description">{analysis.model.description}</p>}
            <Totals />
            <LayerProblems analysis={analysis} layer={null} />
            <div className="tabs" role="tablist" aria-label="View">
              <button type="button" role="tab" aria-selected={panel === 'layers'} onClick={() => setPanel('layers')}>
                Editor
              </button>
              <button type="button" role="tab" aria-selected={panel === 'table'} onClick={() => setPanel('table')}>
                Table
              </button>
              <button type="button" role="tab" aria-selected={panel === 'train'} onClick={() => setPanel('train')}>
                Train
              </button>
            </div>
            {panel === 'layers' ? (
              <LayerList />
            ) : panel === 'table' ? (
              <SummaryTable />
            ) : (
              <ErrorBoundary part="The Train panel" onRetry={TrainPanel.retry}>
                <Suspense fallback={<p className="muted">Loading the trainer…</p>}>
                  <TrainPanel.Part />
                </Suspense>
              </ErrorBoundary>
            )}
            <ViewsPanel />
          </div>
          <Inspector />
        </main>
      )}
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
