import { isInput } from '../../../engine/model/model';
import { useMemo, useRef, useState } from 'react';
import { connectivity, spatialSizes } from '../../../engine/analysis/connectivity';
import { countOf } from '../../../engine/text/plural';
import { formatCount } from '../../../engine/shape/format';
import { appStore, selectAnalysis, selectSelectedLayer, useAppStore } from '../../../state/store';
import { litCount, litExtent, maxCount, pictureFromFile } from '../../../viz/field-heat';
import { mnistSample, SAMPLE_COUNT, type SampleImage } from '../../../viz/samples';
import { Figure, LayerChoice } from '../figure/Figure';
import { volumeNote } from '../figure/volume-note';
import { useFigureKeys } from '../figure/figure-keys';
import { Field1D } from './Field1D';
import { Field2D } from './Field2D';
import { fieldRows } from './rows';
import './field.css';

/** Where a layer's field is looked at first: the last step of a sequence (its lookback), the centre of a map. */
function defaultPosition(sizes: readonly number[]): number[] {
  return sizes.length === 1 ? [(sizes[0] as number) - 1] : sizes.map((s) => Math.floor((s - 1) / 2));
}

/**
 * The receptive-field explorer: choose any output position of the selected layer and see every
 * position of every earlier layer that feeds it, with the number of paths to each.
 */
export function FieldView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const format = analysis.model.dataFormat;
  // Volumes (3 spatial axes) are not drawn: their sizes are left out, so nothing is computed.
  const all = layer ? spatialSizes(layer, format) : null;
  const sizes = all && all.length <= 2 ? all : null;
  const [chosen, setChosen] = useState<{ layer: string; position: number[] } | null>(null);
  const [picture, setPicture] = useState<SampleImage | 'digit'>('digit');
  const [digit, setDigit] = useState(3);
  const file = useRef<HTMLInputElement>(null);
  const position =
    layer && sizes && chosen?.layer === layer.name && chosen.position.length === sizes.length
      ? chosen.position.map((p, i) => Math.min(p, (sizes[i] as number) - 1))
      : sizes
        ? defaultPosition(sizes)
        : [];
  const key = position.join(',');
  const result = useMemo(
    () => (layer && sizes && sizes.length > 0 ? connectivity(analysis, layer.name, key.split(',').map(Number)) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the position is compared by value
    [analysis, layer, key],
  );
  const rows = useMemo(() => (result ? fieldRows(analysis, result) : []), [analysis, result]);
  const setPosition = (p: number[]) => layer && setChosen({ layer: layer.name, position: p });
  const stepPosition = (delta: number) => {
    if (!sizes) return;
    const total = sizes.reduce((a, b) => a * b, 1);
    const flat = position.reduce((acc, p, i) => acc * (sizes[i] as number) + p, 0);
    let n = Math.max(0, Math.min(total - 1, flat + delta));
    const next = sizes.map(() => 0);
    for (let i = sizes.length - 1; i >= 0; i--) {
      next[i] = n % (sizes[i] as number);
      n = Math.floor(n / (sizes[i] as number));
    }
    setPosition(next);
  };
  useFigureKeys(result ? { step: stepPosition } : null);
  if (!layer || !result || rows.length < 1) {
    const spatial = analysis.layers
      .filter((l) => !isInput(l) && [1, 2].includes(spatialSizes(l, format)?.length ?? 0))
      .map((l) => l.name);
    return (
      <Figure title="Receptive field" file="receptive-field">
        <LayerChoice
          message={
            volumeNote(layer, format) ??
            (layer
              ? `${layer.name} (${layer.type}) has no positions to choose${sizes?.length === 0 ? ': its output is a plain vector, which every input position feeds' : ' (a size is not known)'}. Pick a layer with a spatial output:`
              : 'Select a layer to see which input positions feed its outputs:')
          }
          layers={spatial}
        />
      </Figure>
    );
  }
  const input = rows[0]!;
  const shownPicture = picture === 'digit' ? mnistSample(digit) : picture;
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    try {
      setPicture(await pictureFromFile(f));
    } catch (e) {
      appStore.getState().notify('error', (e as Error).message);
    } finally {
      if (file.current) file.current.value = '';
    }
  };
  const controls =
    sizes!.length === 2 ? (
      <>
        <label className="compact-select">
          <span>Picture</span>
          <select
            value={picture === 'digit' ? String(digit) : 'own'}
            onChange={(e) => {
              if (e.target.value === 'own') file.current?.click();
              else {
                setDigit(Number(e.target.value));
                setPicture('digit');
              }
            }}
          >
            {Array.from({ length: SAMPLE_COUNT }, (_, d) => (
              <option key={d} value={d}>
                MNIST digit {d}
              </option>
            ))}
            <option value="own">{picture === 'digit' ? 'Your own image…' : picture.label}</option>
          </select>
        </label>
        <input
          ref={file}
          type="file"
          accept="image/*"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </>
    ) : null;
  return (
    <Figure
      title={`Receptive field: ${layer.name}`}
      file={`${layer.name}-receptive-field`}
      caption={summary(layer.name, position, input.grid, input.layer.name)}
      controls={controls}
    >
      {sizes!.length === 1 ? (
        <Field1D
          analysis={analysis}
          rows={rows}
          position={position[0] as number}
          onPosition={(t) => setPosition([t])}
        />
      ) : sizes!.length === 2 ? (
        <Field2D
          rows={rows}
          position={position as [number, number]}
          onPosition={setPosition}
          picture={input.grid.sizes.length === 2 ? shownPicture : null}
        />
      ) : (
        <LayerChoice message="Three-dimensional maps are not drawn yet." layers={[]} />
      )}
    </Figure>
  );
}

function summary(
  layer: string,
  position: readonly number[],
  grid: { sizes: readonly number[]; counts: Float64Array },
  input: string,
): string {
  const extent = litExtent(grid);
  const max = maxCount(grid);
  const lit = litCount(grid);
  const where = extent ? extent.map(([a, b]) => `${a}–${b}`).join(' × ') : 'none';
  const holes =
    extent && lit < extent.reduce((n, [a, b]) => n * (b - a + 1), 1)
      ? ' (with holes: dilation or stride skips some)'
      : '';
  return `Output (${position.join(', ')}) of ${layer} reads ${countOf(lit, 'position')} of ${input}: ${where}${holes}. ${pathsText(grid.counts, max)}`;
}

/**
 * What the colours say: how many paths through the network reach each read position. Only where
 * the counts differ is there a gradient (overlapping windows reach a field's centre by more
 * paths than its edge); windows that do not overlap reach each position once.
 */
function pathsText(counts: ArrayLike<number>, max: number): string {
  let min = Infinity;
  for (let i = 0; i < counts.length; i++) if ((counts[i] as number) > 0) min = Math.min(min, counts[i] as number);
  if (max <= 1)
    return 'Each of these positions is reached by exactly one path (the windows do not overlap), so all have one colour.';
  if (min === max) return `Each of these positions is reached by ${countOf(max, 'path')}, so all have one colour.`;
  return `Colour counts the paths through the network to each position (${formatCount(min)} to ${formatCount(max)}): the centre of a field is reached by more paths than its edge.`;
}
