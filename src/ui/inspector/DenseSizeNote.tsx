import { useEffect, useMemo, useRef } from 'react';
import { appStore, selectAnalysis, useAppStore } from '../../state/store';
import { denseSizeChanges, denseSizeNote, inputSizedDenses, type InputSizedDense } from '../layers/dense-size';

/** In a Dense layer's details: its weights were counted for this input size (Flatten before it). */
export function DenseSizeNote({ name }: { name: string }) {
  const analysis = useAppStore(selectAnalysis);
  const dense = useMemo(() => inputSizedDenses(analysis).find((d) => d.name === name), [analysis, name]);
  if (!dense) return null;
  return (
    <p className="note dense-size" data-testid="dense-size">
      {denseSizeNote(dense)}
    </p>
  );
}

/**
 * Says so when an edit of the input size changed a Dense layer's weights (a 64×64 → 96×96 input
 * turns 163,850 into 368,650): the growth is otherwise silent. Opening another model says nothing.
 */
export function useDenseSizeNotice(): void {
  const analysis = useAppStore(selectAnalysis);
  const previous = useRef<{ model: string; denses: readonly InputSizedDense[] } | null>(null);
  useEffect(() => {
    const now = { model: analysis.model.name, denses: inputSizedDenses(analysis) };
    // Another model opened is not an edit of this one's input.
    const before = previous.current?.model === now.model ? previous.current.denses : [];
    const changes = denseSizeChanges(before, now.denses);
    previous.current = now;
    if (changes.length) appStore.getState().notify('info', changes.join(' '), { topic: 'dense-size' });
  }, [analysis]);
}
