import { useCallback, useSyncExternalStore } from 'react';

/** One list per query: asking `matchMedia` anew on every render costs more than reading it. */
const lists = new Map<string, MediaQueryList>();
const listFor = (query: string) => {
  let list = lists.get(query);
  if (!list) lists.set(query, (list = window.matchMedia(query)));
  return list;
};

/** Whether a media query matches now; re-renders when that changes. */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = listFor(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => listFor(query).matches);
}

/** The width below which the app is one column (styles.css uses the same). */
export const NARROW = '(max-width: 760px)';
