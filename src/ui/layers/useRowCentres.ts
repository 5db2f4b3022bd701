import { useLayoutEffect, useMemo, useRef, useState, type DependencyList, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { RowWindow } from './useRowWindow';

interface Centres {
  /** Each row's vertical centre in the list, by index. */
  readonly y: readonly number[];
  readonly height: number;
}

const NONE: Centres = { y: [], height: 0 };

/**
 * Where the rows of the layer list are, for the arcs beside it. A windowed list knows (measured
 * or estimated); a whole list is measured after `deps` change and whenever its size does (a block
 * opening, a font loading), never on a new selection.
 *
 * The rows are read where a ResizeObserver reports, after the browser has laid the page out for
 * the coming frame and before it paints: reading them straight after an edit would lay the page
 * out once more (ResNet-110's list, every edit). The arcs are redrawn in that same frame.
 */
export function useRowCentres(
  list: RefObject<HTMLElement | null>,
  rowWindow: RowWindow,
  deps: DependencyList,
): Centres {
  const [measured, setMeasured] = useState(NONE);
  const { windowed, centres, height } = rowWindow;
  const observer = useRef<ResizeObserver | null>(null);
  useLayoutEffect(() => {
    const element = list.current;
    if (windowed || !element) return;
    const measure = () => {
      const y = Array.from(
        element.querySelectorAll<HTMLElement>(':scope > [data-row]'),
        (li) => li.offsetTop + Math.min(li.offsetHeight, 44) / 2,
      );
      const next = { y, height: element.offsetHeight };
      flushSync(() => setMeasured((was) => (same(was, next) ? was : next)));
    };
    const resized = new ResizeObserver(measure);
    resized.observe(element);
    observer.current = resized;
    return () => {
      resized.disconnect();
      observer.current = null;
    };
  }, [list, windowed]);
  useLayoutEffect(() => {
    // A new observation reports once, after the next layout: the rows are read there.
    const element = list.current;
    if (!element || !observer.current) return;
    observer.current.unobserve(element);
    observer.current.observe(element);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what moves the rows
  }, [list, windowed, ...deps]);
  const fromWindow = useMemo(() => (centres ? { y: centres, height: height ?? 0 } : null), [centres, height]);
  return fromWindow ?? measured;
}

function same(a: Centres, b: Centres): boolean {
  return a.height === b.height && a.y.length === b.y.length && a.y.every((y, i) => y === b.y[i]);
}
