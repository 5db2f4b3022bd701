import { useMemo, useState } from 'react';
import type { Notation } from '../../../engine/notation';
import { selectAnalysis, selectNotation, selectSelectedLayer, useAppStore } from '../../../state/store';
import {
  countOf,
  describePermute,
  describeReshape,
  flatten,
  permuteDestination,
  permuteOrigin,
  permutedShape,
  reshapeDestination,
  reshapeOrigin,
  unflatten,
  type Index,
} from '../../../viz/reshape-permute';
import { Figure, LayerChoice } from '../figure/Figure';
import { useFigureKeys } from '../figure/figure-keys';
import { ReshapeFigure, type Panel } from './ReshapeFigure';
import { subjectOf, type Subject } from './subject';
import './reshape.css';

const TITLE = 'Reshape vs Permute';
const CAPTION =
  'Every tile is one element, coloured by its index along one original axis and labelled with its original index. ' +
  'Reshape keeps the memory order and re-cuts it into the new shape; Permute moves whole axes. ' +
  'Point at a tile, or use the slider, to follow one element into both results.';

/**
 * The selected layer's tensor moved by a Reshape and by a Permute, side by side: the classic
 * mistake of reshaping steps × features to features × steps where a transpose was meant.
 */
export function ReshapeView() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const notation = useAppStore(selectNotation);
  const subject = useMemo(
    () => subjectOf(layer, analysis.layers, analysis.model.dataFormat, notation),
    [layer, analysis, notation],
  );
  if ('message' in subject) {
    return (
      <Figure title={TITLE} file="reshape" caption={CAPTION}>
        <LayerChoice message={subject.message} layers={subject.layers} />
      </Figure>
    );
  }
  const id = `${subject.layer}:${subject.plan.shape.join('×')}:${subject.plan.reshaped.join('×')}:${notation}`;
  return <ReshapeBody key={id} subject={subject} notation={notation} />;
}

const sizes = (full: Index, drawn: Index) =>
  full.join('×') +
  (full.some((d, i) => d !== drawn[i]) || full.length !== drawn.length ? ` · drawn ${drawn.join('×')}` : '');

/** "Permute (2, 1)" as Keras writes it (1-based), "permute(1, 0)" as PyTorch does (0-based). */
function permuteName(perm: Index, notation: Notation): string {
  return notation === 'keras' ? `Permute (${perm.map((p) => p + 1).join(', ')})` : `permute(${perm.join(', ')})`;
}

/** The moved axis with the fewest indices: its colours read best. */
function defaultColourAxis(shape: Index, perm: Index | null): number {
  const axes = shape.map((_, a) => a).filter((a) => (shape[a] as number) > 1);
  const moved = perm ? axes.filter((a) => perm.indexOf(a) !== a) : axes;
  const pool = moved.length > 0 ? moved : axes.length > 0 ? axes : [0];
  return pool.reduce((best, a) => ((shape[a] as number) < (shape[best] as number) ? a : best));
}

function ReshapeBody({ subject, notation }: { subject: Subject; notation: Notation }) {
  const { plan, names } = subject;
  const count = countOf(plan.shape);
  const [colourAxis, setColourAxis] = useState(() => subject.colourAxis ?? defaultColourAxis(plan.shape, plan.perm));
  const [focus, setFocus] = useState(0);
  const rank = plan.shape.length;
  useFigureKeys({
    step: (delta) => setFocus((f) => (((f + delta) % count) + count) % count),
    toggle: () => setColourAxis((a) => (a + 1) % rank),
  });
  const panels = useMemo(() => panelsOf(subject, notation), [subject, notation]);
  const origin = unflatten(focus, plan.shape);
  const words = [
    describeReshape(plan.shape, plan.reshaped, names),
    plan.perm
      ? describePermute(plan.shape, plan.perm, names)
      : `No Permute gives ${plan.full.reshaped.join('×')}: its sizes are not the input's sizes in another order.`,
  ];
  const notes = [
    ...(plan.reduced
      ? [`Shown at ${plan.shape.join('×')} instead of ${plan.full.shape.join('×')}: the same rule on fewer elements.`]
      : []),
    ...(subject.note ? [subject.note] : []),
  ];
  const where = `(${origin.join(', ')}) → Reshape (${reshapeDestination(origin, plan.shape, plan.reshaped).join(', ')})${
    plan.perm ? ` · Permute (${permuteDestination(origin, plan.perm).join(', ')})` : ''
  }`;
  const controls = (
    <>
      <div className="reshape-colour" role="group" aria-label="Colour by">
        <span>Colour by</span>
        {names.map((name, a) => (
          <button key={name} type="button" aria-pressed={a === colourAxis} onClick={() => setColourAxis(a)}>
            {name} <span className="muted">(axis {a})</span>
          </button>
        ))}
      </div>
      <label className="scrub">
        <span>Follow element</span>
        <input
          type="range"
          min={0}
          max={count - 1}
          value={focus}
          onChange={(e) => setFocus(Number(e.target.value))}
          aria-valuetext={`element ${focus + 1} of ${count}: ${where}`}
        />
      </label>
      <output className="frame-status" aria-live="polite">
        Element {where}
      </output>
    </>
  );
  const what = `${subject.role === 'input' ? 'input' : 'output'} of ${subject.layer} (${plan.full.shape.join('×')})`;
  return (
    <Figure
      title={`${TITLE}: ${subject.layer}`}
      file={`${subject.layer}-reshape`}
      caption={CAPTION}
      controls={controls}
    >
      {notes.length > 0 && (
        <div className="reshape-notes">
          {notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      <ReshapeFigure
        panels={panels}
        channelsLast={subject.channelsLast}
        colourAxis={colourAxis}
        colourName={names[colourAxis] as string}
        colourCount={plan.shape[colourAxis] as number}
        focus={origin}
        onFocus={(o) => setFocus(flatten(o, plan.shape))}
        label={`The ${what} moved by a Reshape to ${plan.full.reshaped.join('×')}${plan.perm ? ' and by a Permute' : ''}.`}
        description={[...notes, ...words].join(' ')}
      />
      <div className="reshape-words">
        {words.map((w) => (
          <p key={w}>{w}</p>
        ))}
      </div>
    </Figure>
  );
}

function panelsOf(subject: Subject, notation: Notation): Panel[] {
  const { plan, layer, role } = subject;
  const panels: Panel[] = [
    {
      id: 'original',
      title: `${role === 'input' ? 'Input of' : 'Output of'} ${layer}`,
      sizes: sizes(plan.full.shape, plan.shape),
      shape: plan.shape,
      origin: (at) => at,
    },
    {
      id: 'reshape',
      title: `Reshape to ${plan.full.reshaped.join('×')}`,
      sizes: sizes(plan.full.reshaped, plan.reshaped),
      shape: plan.reshaped,
      origin: (at) => reshapeOrigin(at, plan.shape, plan.reshaped),
    },
  ];
  const perm = plan.perm;
  if (perm) {
    const full = permutedShape(plan.full.shape, perm);
    const drawn = permutedShape(plan.shape, perm);
    panels.push({
      id: 'permute',
      title: `${permuteName(perm, notation)} → ${full.join('×')}`,
      sizes: sizes(full, drawn),
      shape: drawn,
      origin: (at) => permuteOrigin(at, perm),
    });
  }
  return panels;
}
