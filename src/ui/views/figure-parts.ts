import type { Figure } from '../../state/view-slice';
import { lazyPart } from '../recovery/lazy-part';

/**
 * The pictures other than Volumes (the one on screen when the app opens), each in its own chunk:
 * fetched when first shown, or when the browser is idle after the first paint
 * (`preloadFigures`), so that the page's first load carries only what it paints.
 */
export const LAZY_FIGURES: Record<Exclude<Figure, 'volumes'>, ReturnType<typeof lazyPart>> = {
  convolution: lazyPart(async () => ({ default: (await import('./conv/ConvolutionView')).ConvolutionView })),
  field: lazyPart(async () => ({ default: (await import('./field/FieldView')).FieldView })),
  weights: lazyPart(async () => ({ default: (await import('./weights/WeightsView')).WeightsView })),
  channels: lazyPart(async () => ({ default: (await import('./channels/ChannelsView')).ChannelsView })),
  maps: lazyPart(async () => ({ default: (await import('./maps/FeatureMapsView')).FeatureMapsView })),
  reshape: lazyPart(async () => ({ default: (await import('./reshape/ReshapeView')).ReshapeView })),
  growth: lazyPart(async () => ({ default: (await import('./growth/GrowthView')).GrowthView })),
};

/** Fetches every picture's code once the browser has nothing else to do; returns a cancel. */
export function preloadFigures(): () => void {
  const preload = () => Object.values(LAZY_FIGURES).forEach((part) => part.preload());
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(preload, { timeout: 2000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(preload, 200);
  return () => window.clearTimeout(id);
}
