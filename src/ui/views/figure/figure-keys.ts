import { useEffect, useRef } from 'react';

/** What the arrow keys and Space do to the picture on screen in lecture mode. */
export interface FigureKeys {
  /** ← and →: the next or previous frame, position or filter. */
  step(delta: number): void;
  /** Space: play or pause, where the picture animates. */
  toggle?(): void;
}

let active: FigureKeys | null = null;

/** The keys of the picture on screen, or null (the arrows then step through the layers). */
export function activeFigureKeys(): FigureKeys | null {
  return active;
}

/** Hands the lecture keys to the calling picture while it is on screen. */
export function useFigureKeys(keys: FigureKeys | null): void {
  const latest = useRef(keys);
  useEffect(() => {
    latest.current = keys;
  });
  const present = keys !== null;
  useEffect(() => {
    if (!present) return;
    const handle: FigureKeys = {
      step: (delta) => latest.current?.step(delta),
      toggle: () => latest.current?.toggle?.(),
    };
    active = handle;
    return () => {
      if (active === handle) active = null;
    };
  }, [present]);
}
