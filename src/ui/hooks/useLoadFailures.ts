import { useEffect } from 'react';
import { appStore } from '../../state/store';
import { failureText, isLoadFailure } from '../recovery/load-failure';

/**
 * A part loaded on demand outside any ErrorBoundary (the embed API's trainer) whose code does
 * not arrive: said as an error notice (for an embedding host, `convscope:error`) instead of an
 * error only the console sees.
 */
export function useLoadFailures(): void {
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (!isLoadFailure(event.reason)) return;
      event.preventDefault();
      appStore
        .getState()
        .notify('error', `${failureText('Part of ConvScope', event.reason)} Check the connection and try again.`);
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
}
