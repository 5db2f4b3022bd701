import { useLayoutEffect, useMemo, useState, type DependencyList, type RefObject } from 'react';
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
 */
export function useRowCentres(
  list: RefObject<HTMLElement | null>,
  rowWindow: RowWindow,
  deps: DependencyList,
): Centres {
  const [measured, setMeasured] = useState(NONE);
  const { windowed, centres, height } = rowWindow;
  useLayoutEffect(() => {
    const element = list.current;
    if (windowed || !element) return;
    const measure = () => {
      const y = Array.from(
        element.querySelectorAll<HTMLElement>(':scope > [data-row]'),
        (li) => li.offsetTop + Math.min(li.offsetHeight, 44) / 2,
      );
      const next = { y, height: element.offsetHeight };
      setMeasured((was) => (same(was, next) ? was : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what moves the rows
  }, [list, windowed, ...deps]);
  const fromWindow = useMemo(() => (centres ? { y: centres, height: height ?? 0 } : null), [centres, height]);
  return fromWindow ?? measured;
}

function same(a: Centres, b: Centres): boolean {
  return a.height === b.height && a.y.length === b.y.length && a.y.every((y, i) => y === b.y[i]);
}
