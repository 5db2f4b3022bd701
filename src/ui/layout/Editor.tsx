import { Suspense, useState } from 'react';
import { selectAnalysis, useAppStore } from '../../state/store';
import { ErrorBoundary } from '../ErrorBoundary';
import { Inspector } from '../inspector/Inspector';
import { LayerProblems } from '../inspector/LayerProblems';
import { LayerList } from '../layers/LayerList';
import { lazyPart } from '../recovery/lazy-part';
import { SummaryTable } from '../summary/SummaryTable';
import { Totals } from '../summary/Totals';
import { ViewsPanel } from '../views/ViewsPanel';
import { AddLayer, PaletteDrawer } from './AddLayer';
import { useRevealSelection } from './useRevealSelection';

const TrainPanel = lazyPart(async () => ({ default: (await import('../train/TrainPanel')).TrainPanel }));

/**
 * The editor, picture first: the model and its layers on the left; the selected layer's picture
 * and its explanation beside them, each pane scrolling on its own so that neither leaves the
 * screen (on a phone, one column, each layer's explanation under its row). The palette opens
 * from "Add layer" above the list.
 */
export function Editor() {
  const analysis = useAppStore(selectAnalysis);
  const [adding, setAdding] = useState(false);
  return (
    <main className="editor">
      <div className="list-pane">
        <div className="model-head">
          <h2 className="model-title" id="model-title">
            {analysis.model.name}
          </h2>
          {analysis.model.description && <p className="description">{analysis.model.description}</p>}
        </div>
        <Totals />
        <div className="model-problems">
          <LayerProblems analysis={analysis} layer={null} />
        </div>
        <div className="panel-bar">
          <PanelTabs />
          <AddLayer open={adding} onToggle={setAdding} />
        </div>
        {adding && <PaletteDrawer onClose={() => setAdding(false)} />}
        <div className="panel-body">
          <PanelBody />
        </div>
      </div>
      <div className="detail-pane">
        <ViewsPanel />
        <div className="inspector-pane" id="inspector">
          <Inspector />
        </div>
      </div>
    </main>
  );
}

function PanelTabs() {
  const panel = useAppStore((s) => s.panel);
  const setPanel = useAppStore((s) => s.setPanel);
  return (
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
  );
}

function PanelBody() {
  const panel = useAppStore((s) => s.panel);
  useRevealSelection(panel);
  if (panel === 'layers') return <LayerList />;
  if (panel === 'table') return <SummaryTable />;
  return (
    <ErrorBoundary part="The Train panel" onRetry={TrainPanel.retry}>
      <Suspense fallback={<p className="muted">Loading the trainer…</p>}>
        <TrainPanel.Part />
      </Suspense>
    </ErrorBoundary>
  );
}
