import { useRef, type KeyboardEvent } from 'react';
import { FIGURES, type Figure } from '../../state/view-slice';
import { useAppStore } from '../../state/store';
import { ChannelsView } from './channels/ChannelsView';
import { ConvolutionView } from './conv/ConvolutionView';
import { FieldView } from './field/FieldView';
import { GrowthView } from './growth/GrowthView';
import { FeatureMapsView } from './maps/FeatureMapsView';
import { ReshapeView } from './reshape/ReshapeView';
import { VolumeView } from './VolumeView';
import { WeightsView } from './weights/WeightsView';

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
  switch (figure) {
    case 'volumes':
      return <VolumeView />;
    case 'convolution':
      return <ConvolutionView />;
    case 'field':
      return <FieldView />;
    case 'weights':
      return <WeightsView />;
    case 'channels':
      return <ChannelsView />;
    case 'maps':
      return <FeatureMapsView />;
    case 'reshape':
      return <ReshapeView />;
    case 'growth':
      return <GrowthView />;
  }
}

/**
 * The pictures of the selected layer, one tab each (arrow keys move between tabs; in lecture
 * mode the digit keys 1–8 do).
 */
export function ViewsPanel() {
  const figure = useAppStore((s) => s.figure);
  const setFigure = useAppStore((s) => s.setFigure);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
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
