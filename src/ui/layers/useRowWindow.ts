import {
  defaultRangeExtractor,
  useVirtualizer,
  type Range,
  type Virtualizer,
  type VirtualItem,
} from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
import type { Row } from './rows';

/**
 * Lists longer than this scroll in a box of their own and put only the rows near its view in the
 * page (and the selected and dragged rows): ten thousand rows of buttons, each a drag-and-drop
 * target, take seconds to mount and to update, and would make a page hundreds of thousands of
 * pixels long. Shorter lists, every built-in model among them, are whole, so the browser's find
 * and every row's place work as in any page.
 */
export const WINDOW_FROM = 500;

/** A row's height before any is measured; then the typical measured row's. */
const FIRST_ESTIMATE = 49;

export interface RowWindow {
  readonly windowed: boolean;
  /** The rows in the page, with their index in `rows` and, when windowed, their top. */
  readonly shown: readonly { readonly row: Row; readonly index: number; readonly top?: number }[];
  /** The list's height when windowed (rows are placed absolutely). */
  readonly height?: number;
  /** Hands a row's element to the window for measuring (it needs `data-index`). */
  readonly measure: (element: HTMLElement | null) => void;
  /** Each row's vertical centre in the list, by index, when windowed (else null: measure the DOM). */
  readonly centres: readonly number[] | null;
}

/**
 * The window of a long layer list over its scroll box (`scroller`, whose content starts with the
 * list); `keep` are row indices always in the page.
 */
export function useRowWindow(
  rows: readonly Row[],
  scroller: RefObject<HTMLElement | null>,
  keep: readonly number[],
): RowWindow {
  const windowed = rows.length > WINDOW_FROM;
  const kept = keep.filter((i) => i >= 0).join(',');
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indices = new Set(defaultRangeExtractor(range));
      for (const i of kept ? kept.split(',') : []) indices.add(Number(i));
      return [...indices].sort((a, b) => a - b);
    },
    [kept],
  );
  const [estimate, setEstimate] = useState(FIRST_ESTIMATE);
  // Positions as they were when the list last stood still: the arcs follow these, so that rows
  // measured while scrolling do not redraw every arc on every frame.
  const [settled, setSettled] = useState<{ rows: readonly Row[]; at: readonly VirtualItem[] } | null>(null);
  const sizedFor = useRef<readonly Row[] | null>(null);
  const onChange = useCallback(
    (v: Virtualizer<HTMLElement, HTMLElement>) => {
      // Once a few rows are measured, unmeasured rows are guessed at the typical row's height, so
      // that in a stack of alike rows nothing moves as rows are measured.
      if (sizedFor.current !== rows && v.itemSizeCache.size >= Math.min(8, rows.length)) {
        sizedFor.current = rows;
        const sizes = [...v.itemSizeCache.values()].sort((a, b) => a - b);
        const typical = sizes[sizes.length >> 1] ?? estimate;
        if (Math.abs(typical - estimate) > 0.25) setEstimate(typical);
      }
      if (v.isScrolling) return;
      v.getTotalSize();
      const at = v.measurementsCache;
      setSettled((was) => (was?.at === at && was.rows === rows ? was : { rows, at }));
    },
    [rows, estimate],
  );
  const estimateSize = useCallback(() => estimate, [estimate]);
  // The library redoes its measurements when the key function changes: a new estimate must.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const keyOf = useCallback((i: number) => rows[i]?.key ?? i, [rows, estimate]);
  // The app is not built with the React Compiler; what is memoised below is keyed on the
  // library's own memoised measurements, which are a new array whenever a size changes.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: 10,
    enabled: windowed,
    getItemKey: keyOf,
    rangeExtractor,
    onChange,
  });
  const items = windowed ? virtualizer.getVirtualItems() : [];
  const live = windowed ? virtualizer.measurementsCache : null;
  const measurements = windowed && settled?.rows === rows ? settled.at : live;
  const centres = useMemo(() => {
    if (!measurements) return null;
    const y: number[] = [];
    for (let i = 0; i < measurements.length; i++) {
      const m = measurements[i];
      y.push(m ? m.start + Math.min(m.size, 44) / 2 : 0);
    }
    return y;
  }, [measurements]);
  if (!windowed) {
    return {
      windowed,
      shown: rows.map((row, index) => ({ row, index })),
      measure: virtualizer.measureElement,
      centres,
    };
  }
  return {
    windowed,
    shown: items.flatMap((item) => {
      const row = rows[item.index];
      return row ? [{ row, index: item.index, top: item.start }] : [];
    }),
    height: virtualizer.getTotalSize(),
    measure: virtualizer.measureElement,
    centres,
  };
}
