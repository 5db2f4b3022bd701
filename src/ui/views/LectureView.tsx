import { ownerOf } from '../../engine/analysis/inner';
import { explainLayer } from '../../engine/analysis/explain';
import { countIn, countText } from '../../engine/analysis/param-counts';
import { fieldText } from '../../engine/shape/format';
import { selectAnalysis, selectNotation, selectSelectedLayer, useAppStore } from '../../state/store';
import { inputsText, shapeText, weightLines } from '../format';
import { LayerList } from '../layers/LayerList';
import { NotationSwitch } from '../layout/NotationSwitch';
import { useRevealSelection } from '../layout/useRevealSelection';
import { ViewsPanel } from './ViewsPanel';

/** Lecture mode's header: the model, the notation and the way out; nothing else on the slide. */
export function LectureHeader() {
  const name = useAppStore((s) => s.model.name);
  const setLecture = useAppStore((s) => s.setLecture);
  return (
    <header className="app-header lecture-header">
      <h1>{name}</h1>
      <div className="controls">
        <NotationSwitch />
        <button type="button" onClick={() => setLecture(false)} aria-keyshortcuts="Escape">
          Leave lecture mode
        </button>
      </div>
    </header>
  );
}

/**
 * Lecture mode: large type and high contrast for a projector. ↑ ↓ step through the layers, the
 * selected one explained in big letters beside its picture; ← → and Space step and play the
 * picture, 1–8 choose it. + and − zoom, Esc leaves.
 */
export function LectureView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const notation = useAppStore(selectNotation);
  const format = analysis.model.dataFormat;
  // A layer inside a block counts as its block's place in the model.
  const owner = layer ? ownerOf(analysis, layer.name) : null;
  const index = analysis.layers.findIndex((l) => l.name === owner);
  useRevealSelection('lecture');
  return (
    <main className="lecture-view">
      <section className="stage" aria-live="polite" aria-labelledby="lecture-layer">
        <p className="muted hint">
          Layer {index + 1} of {analysis.layers.length} · ↑ ↓ layers · ← → step the picture · Space play · 1–8 pictures
          · + − zoom · Esc leaves
        </p>
        {layer && (
          <>
            <h2 id="lecture-layer">
              {layer.name} <span className="muted">{layer.type}</span>
            </h2>
            <p className="big-shape">
              <span className="muted">{inputsText(layer.inputShapes, format, notation)} → </span>
              {shapeText(layer.output, format, notation)}
            </p>
            <p className="why">{explainLayer(layer, format, notation)}</p>
            <dl className="facts">
              <dt>Weights</dt>
              <dd>
                {weightLines(layer.weights, notation)
                  .map((w) => `${w.shape} ${w.name}`)
                  .join(', ') || 'none'}
              </dd>
              <dt>Parameters</dt>
              <dd>{countText(countIn(layer, notation))}</dd>
              <dt>Receptive field</dt>
              <dd>{fieldText(layer.receptiveField)}</dd>
            </dl>
          </>
        )}
      </section>
      <div className="lecture-figure">
        <ViewsPanel />
      </div>
      <LayerList />
    </main>
  );
}
