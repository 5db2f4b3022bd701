import { lazy, type ComponentType } from 'react';

/**
 * `React.lazy` that can be tried again: a lazy component whose code failed to arrive keeps that
 * failure for good, so `retry` makes a fresh one, which fetches the code anew. Give `retry` to
 * the ErrorBoundary around the part as its `onRetry`.
 */
export function lazyPart<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): { Part: ComponentType<P>; retry: () => void } {
  let current = lazy(load);
  function Part(props: P) {
    const Current = current;
    return <Current {...props} />;
  }
  return {
    Part,
    retry: () => {
      current = lazy(load);
    },
  };
}
