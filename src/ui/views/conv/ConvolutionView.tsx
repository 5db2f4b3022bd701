import { allLayers } from '../../../engine/analysis/inner';
import { useMemo } from 'react';
import { selectAnalysis, selectSelectedLayer, useAppStore } from '../../../state/store';
import { Figure, LayerChoice } from '../figure/Figure';
import { volumeNote } from '../figure/volume-note';
import { useFigureKeys } from '../figure/figure-keys';
import { ConvFigure } from './ConvFigure';
import { describeWindow } from './describe';
import { convLegend } from './legend';
import { windowModel } from './model';
import { useAnimation } from './useAnimation';
import './conv.css';

const SPEEDS = [1, 2, 4, 8, 15, 30, 60];

/**
 * The selected convolution or pooling layer's window sliding over its padded input, frame by
 * frame: play, pause, step, scrub and speed; in lecture mode ← → step and Space plays.
 */
export function ConvolutionView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const format = analysis.model.dataFormat;
  const model = useMemo(() => (layer ? windowModel(layer, format) : null), [layer, format]);
  const frames = model?.slide.frames ?? 1;
  const animation = useAnimation(frames);
  useFigureKeys(model ? { step: animation.step, toggle: animation.toggle } : null);
  if (!layer || !model) {
    const windowed = allLayers(analysis)
      .filter((l) => windowModel(l, format))
      .map((l) => l.name);
    return (
      <Figure title="Convolution arithmetic" file="convolution">
        <LayerChoice
          message={
            volumeNote(layer, format) ??
            (layer
              ? `${layer.name} (${layer.type}) has no sliding window${layer.output ? '' : ' or its sizes are not known yet'}. Pick a convolution or pooling layer:`
              : 'Select a convolution or pooling layer to watch its kernel slide:')
          }
          layers={windowed}
        />
      </Figure>
    );
  }
  const { slide } = model;
  const position = slide.output(animation.frame);
  const controls = (
    <>
      <button type="button" onClick={animation.toggle} aria-pressed={animation.playing} aria-keyshortcuts="Space">
        {animation.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => animation.step(-1)} disabled={animation.frame === 0}>
        <span aria-hidden="true">◀ </span>Previous
      </button>
      <button type="button" onClick={() => animation.step(1)} disabled={animation.frame >= frames - 1}>
        Next<span aria-hidden="true"> ▶</span>
      </button>
      <label className="scrub">
        <span>Output position</span>
        <input
          type="range"
          min={0}
          max={frames - 1}
          value={animation.frame}
          onChange={(e) => animation.seek(Number(e.target.value))}
          aria-valuetext={`${animation.frame + 1} of ${frames}: (${position.join(', ')})`}
        />
      </label>
      <label className="compact-select">
        <span>Speed</span>
        <select value={animation.speed} onChange={(e) => animation.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} / s
            </option>
          ))}
        </select>
      </label>
      <output className="frame-status" aria-live={animation.playing ? 'off' : 'polite'}>
        Output {animation.frame + 1} of {frames} at ({position.join(', ')}) · output {slide.outputSizes.join('×')}
      </output>
    </>
  );
  return (
    <Figure
      title={`Convolution arithmetic: ${layer.name}`}
      file={`${layer.name}-convolution`}
      caption={`${describeWindow(layer, model)} ${convLegend(model)}`}
      controls={controls}
    >
      <ConvFigure model={model} frame={animation.frame} label={`${layer.name}: ${describeWindow(layer, model)}`} />
    </Figure>
  );
}
