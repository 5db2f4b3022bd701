import { useEffect, useRef } from 'react';

interface View<D> {
  update(data: D): void;
  destroy(): void;
}

/**
 * Mounts a d3 view (`create(element) → { update, destroy }`) in a container: created once,
 * updated whenever `data` changes, destroyed on unmount.
 */
export function useD3View<D, V extends View<D>>(create: (element: HTMLDivElement) => V, data: D) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<V | null>(null);
  const createRef = useRef(create);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    view.current = createRef.current(element);
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, []);
  useEffect(() => {
    view.current?.update(data);
  }, [data]);
  return { container, view };
}
