import { Suspense, useEffect, useRef, type KeyboardEvent } from 'react';
import { FIGURES, type Figure } from '../../state/view-slice';
import { useAppStore } from '../../state/store';
import { ErrorBoundary } from '../ErrorBoundary';
import { LAZY_FIGURES, preloadFigures } from './figure-parts';
import { VolumeView } from './VolumeView';

const LABELS: Record<Figure, string> = {
  volumes: 'Volumes',
  convolution: 'Convolution',
  field: 'Receptive field',
  weights: 'Weights',
  channels: 'Channels',
  maps: 'Feature maps',
  reshape: 'Reshape vs Permute',
  growth: 'Growth',
};

function FigureBody({ figure }: { figure: Figure }) {
  if (figure === 'volumes') return <VolumeView />;
  const { Part, retry } = LAZY_FIGURES[figure];
  // Keyed by picture: a failure stays with the picture it happened in.
  return (
    <ErrorBoundary key={figure} part={`The ${LABELS[figure]} picture`} onRetry={retry}>
      <Suspense
        fallback={
          <p className="muted" role="status">
            Loading the picture…
          </p>
        }
      >
        <Part />
      </Suspense>
    </ErrorBoundary>
  );
}

/**
 * The pictures of the selected layer, one tab each (arrow keys move between tabs; in lecture
 * mode the digit keys 1–8 do).
 */
export function ViewsPanel() {
  const figure = useAppStore((s) => s.figure);
  const setFigure = useAppStore((s) => s.setFigure);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(preloadFigures, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const at = FIGURES.indexOf(figure);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: FIGURES.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    const index = (next + FIGURES.length) % FIGURES.length;
    setFigure(FIGURES[index] as Figure);
    tabs.current[index]?.focus();
  };
  return (
    <section className="views-panel" aria-label="Pictures">
      <div className="tabs figure-tabs" role="tablist" aria-label="Picture" onKeyDown={onKeyDown}>
        {FIGURES.map((f, i) => (
          <button
            key={f}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`figure-tab-${f}`}
            aria-controls="figure-panel"
            aria-selected={figure === f}
            tabIndex={figure === f ? 0 : -1}
            onClick={() => setFigure(f)}
          >
            {LABELS[f]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="figure-panel" aria-labelledby={`figure-tab-${figure}`} data-figure={figure}>
        <FigureBody figure={figure} />
      </div>
    </section>
  );
}
