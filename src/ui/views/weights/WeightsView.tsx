import { useMemo, useState } from 'react';
import type { LayerResult } from '../../../engine/analysis/result';
import { weightIn, type Notation } from '../../../engine/notation';
import { formatShape } from '../../../engine/shape/format';
import { selectAnalysis, selectNotation, selectSelectedLayer, useAppStore } from '../../../state/store';
import { convolutionsIn, weightParts, type ConvChoice, type WeightPart } from '../../../viz/weight-grid';
import { Figure, LayerChoice } from '../figure/Figure';
import { volumeNote } from '../figure/volume-note';
import { useFigureKeys } from '../figure/figure-keys';
import { usePartValues, type PartValues } from './trained';
import { WeightGrid, type Position } from './WeightGrid';
import './weights.css';

const POINT = 'Point at a kernel, or focus the grid and use the arrow keys, to read its numbers.';
const CAPTION =
  'One row per filter, one column per input channel; each square is one weight. Initial values, as training ' +
  'would start (He-normal, drawn from the layer’s name, so the same layer always looks the same); training ' +
  `changes them. ${POINT}`;
const TRAINED_CAPTION =
  'One row per filter, one column per input channel; each square is one weight, as the model file holds it, ' +
  `coloured from blue (most negative) through white (0) to red, on the kernel’s own range. ${POINT}`;

/** The selected convolution's kernel as filters × input channels × k × k. */
export function WeightsView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const notation = useAppStore(selectNotation);
  const choices = useMemo(() => (layer ? convolutionsIn(layer) : []), [layer]);
  const [picked, setPicked] = useState<string | null>(null);
  const [partIndex, setPartIndex] = useState(0);
  const [position, setPosition] = useState<Position>({ key: '', r: 0, c: 0 });
  const choice = choices.find((c) => c.path === picked) ?? choices[0];
  const parts = useMemo(() => (choice ? weightParts(choice.layer, choice.path) : []), [choice]);
  const drawn = usePartValues(
    analysis,
    choice?.layer,
    parts[Math.min(partIndex, parts.length - 1)],
    choice?.path ?? '',
  );
  const part = drawn?.part;
  const at = part && position.key === part.seed ? position : { key: part?.seed ?? '', r: 0, c: 0 };

  useFigureKeys(
    part
      ? {
          step: (delta) => setPosition({ ...at, r: Math.max(0, Math.min(part.filters - 1, at.r + delta)) }),
          ...(parts.length > 1 ? { toggle: () => setPartIndex((i) => (i + 1) % parts.length) } : {}),
        }
      : null,
  );

  if (!layer || !choice || !part || !drawn) {
    const convs = analysis.layers.filter((l) => convolutionsIn(l).length > 0).map((l) => l.name);
    const message =
      volumeNote(layer, analysis.model.dataFormat) ??
      (layer
        ? `${layer.name} (${layer.type}) has no convolution kernel to draw. Pick a convolution:`
        : 'Select a convolution to see its weights.');
    return (
      <Figure title="Weight tensor" file="weights">
        <LayerChoice message={message} layers={convs} />
      </Figure>
    );
  }
  const controls = (
    <>
      {choices.length > 1 && (
        <InsideBlock layer={layer} choices={choices} current={choice.path} notation={notation} onPick={setPicked} />
      )}
      {parts.length > 1 && (
        <div className="button-row" role="group" aria-label="Part of the separable convolution">
          {parts.map((p, i) => (
            <button key={p.kind} type="button" aria-pressed={p.kind === part.kind} onClick={() => setPartIndex(i)}>
              {p.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
  return (
    <Figure
      title={`Weight tensor · ${choice.path}${parts.length > 1 ? ` · ${part.label}` : ''}`}
      file={`${choice.path.replace('/', '-')}-weights`}
      caption={drawn.file ? TRAINED_CAPTION : CAPTION}
      controls={choices.length > 1 || parts.length > 1 ? controls : undefined}
    >
      <ValuesSource drawn={drawn} />
      <WeightGrid part={part} name={choice.path} notation={notation} position={at} onMove={setPosition} />
    </Figure>
  );
}

const magnitude = (x: number) => (x === 0 ? '0' : x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const signed = (x: number) => (x < 0 ? `−${magnitude(-x)}` : magnitude(x));

/** Where the drawn values come from: the file (its name as text only) or why its values are not shown. */
function ValuesSource({ drawn }: { readonly drawn: PartValues }) {
  const trained = drawn.part.trained;
  if (drawn.file && trained)
    return (
      <p className="weights-source" data-source="file">
        <strong>Trained weights from {drawn.file}</strong>{' '}
        <span className="muted">
          (values from {signed(trained.min)} to {signed(trained.max)})
        </span>
      </p>
    );
  if (drawn.problem)
    return (
      <p className="weights-source weights-problem" data-source="initial" role="note">
        {drawn.problem}
      </p>
    );
  return null;
}

interface InsideBlockProps {
  readonly layer: LayerResult;
  readonly choices: readonly ConvChoice[];
  readonly current: string;
  readonly notation: Notation;
  readonly onPick: (path: string) => void;
}

/** A block holds several convolutions: one button each, with its kernel's shape. */
function InsideBlock({ layer, choices, current, notation, onPick }: InsideBlockProps) {
  return (
    <div className="button-row" role="group" aria-label={`Convolutions inside ${layer.name}`}>
      <span className="muted">Inside {layer.name}:</span>
      {choices.map((c) => {
        const first = weightParts(c.layer, c.path)[0] as WeightPart;
        return (
          <button key={c.path} type="button" aria-pressed={c.path === current} onClick={() => onPick(c.path)}>
            {c.layer.name}{' '}
            <span className="weights-choice-shape">{formatShape(weightIn(first.tensor, notation).shape)}</span>
          </button>
        );
      })}
    </div>
  );
}
