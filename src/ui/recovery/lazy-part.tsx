import { lazy, type ComponentType } from 'react';

/**
 * `React.lazy` that can be tried again: a lazy component whose code failed to arrive keeps that
 * failure for good, so `retry` makes a fresh one, which fetches the code anew. Give `retry` to
 * the ErrorBoundary around the part as its `onRetry`. `preload` fetches the code ahead of need;
 * once it has arrived the part renders at once, without suspending.
 */
export function lazyPart<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): { Part: ComponentType<P>; retry: () => void; preload: () => void } {
  let loaded: ComponentType<P> | null = null;
  const fetch = () =>
    load().then((module) => {
      loaded = module.default;
      return module;
    });
  let current = lazy(fetch);
  function Part(props: P) {
    const Current = loaded ?? current;
    return <Current {...props} />;
  }
  return {
    Part,
    retry: () => {
      current = lazy(fetch);
    },
    // A failure here is left to the render, which shows it with its Retry.
    preload: () => void fetch().catch(() => undefined),
  };
}
