import { useCallback, useMemo, useState } from 'react';
import { appStore, selectAnalysis, selectSelected, useAppStore } from '../../../state/store';
import { createGrowth, type GrowthData, type GrowthView as GrowthChartView } from '../../../viz/growth';
import { describeGrowth, growthOf, stepPoint, unitOf, type GrowthSeries } from '../../../viz/growth-data';
import { useD3View } from '../../hooks/useD3View';
import { Figure, LayerChoice } from '../figure/Figure';
import { useFigureKeys } from '../figure/figure-keys';
import './growth.css';

/** Why there is no growth to draw: nothing keeps spatial positions past the input. */
function emptyMessage(series: GrowthSeries): string {
  if (series.points.length === 0) {
    return 'No layer of this model has spatial positions, so there is no receptive field to follow across it.';
  }
  const end = series.endsAt;
  return end
    ? `Receptive fields stop right after the input: ${end.name} (${end.type}) does not keep spatial positions, so no layer has a field to follow.`
    : 'Only the input has a receptive field: add a convolution or pooling layer to see the field grow.';
}

/**
 * How the receptive field grows across the network: its size and its jump per layer, per axis,
 * against the input's size. Click a point or use ← → on the focused chart to select a layer.
 */
export function GrowthView() {
  const analysis = useAppStore(selectAnalysis);
  const selected = useAppStore(selectSelected);
  const large = useAppStore((s) => s.lecture);
  const [logSize, setLogSize] = useState(false);
  const series = useMemo(() => growthOf(analysis), [analysis]);
  const description = useMemo(() => describeGrowth(series, analysis.model.name), [series, analysis.model.name]);
  const data = useMemo(
    () => ({ series, selected, logSize, description, large }),
    [series, selected, logSize, description, large],
  );
  const create = useCallback(
    (el: HTMLDivElement) => createGrowth(el, { onSelect: (name) => appStore.getState().select(name) }),
    [],
  );
  const drawable = series.points.length > 1;
  useFigureKeys(
    drawable
      ? {
          step(delta) {
            const next = stepPoint(series, appStore.getState().selected, delta);
            if (next) appStore.getState().select(next);
          },
        }
      : null,
  );
  const fixed = series.inputSize.some((v) => v !== null);
  const caption =
    drawable &&
    `Each layer's receptive field size (top) and jump, the distance in input ${unitOf(series)} between neighbouring outputs' fields (bottom, log scale), across the network; ${fixed ? "the dotted line marks the input's size" : 'the input size is open, so there is no input line'}.`;
  const controls = drawable && (
    <label className="growth-log">
      <input type="checkbox" checked={logSize} onChange={(e) => setLogSize(e.target.checked)} /> Log scale for size
    </label>
  );
  return (
    <Figure title="Receptive field growth" file="growth" caption={caption} controls={controls}>
      {drawable ? (
        <GrowthChart data={data} create={create} />
      ) : (
        <LayerChoice message={emptyMessage(series)} layers={[]} />
      )}
    </Figure>
  );
}

/** The chart's host: mounted only when there is a series, so the view is created with it. */
function GrowthChart({ data, create }: { data: GrowthData; create: (el: HTMLDivElement) => GrowthChartView }) {
  const { container } = useD3View(create, data);
  return <div className="growth-host" ref={container} />;
}
