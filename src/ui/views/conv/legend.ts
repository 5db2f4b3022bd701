import type { WindowModel } from './model';

const REST = {
  conv: 'Example values are small integers, so each sum can be checked by hand; bias left out.',
  transposed: 'Example values are small integers, so each sum can be checked by hand; bias left out.',
  depthwise: 'Each channel has its own filter; channel 1 is drawn. Example values are small integers; bias left out.',
  max: 'Each channel is pooled on its own.',
  average: 'Each channel is pooled on its own.',
} as const;

/** Whether the drawn input has padding cells: any before the first cell or after the last. */
export function hasPadding(model: WindowModel): boolean {
  const { before, paddedSizes, inputSizes } = model.slide;
  return paddedSizes.some((p, i) => (before[i] ?? 0) > 0 || p > (before[i] ?? 0) + (inputSizes[i] ?? 0));
}

/** What the hatched cells are, or '' when the figure has none. */
function hatchText(model: WindowModel): string {
  const padded = hasPadding(model);
  const inserted = model.kind === 'transposed' && model.inserted.some((s) => s > 1);
  if (inserted)
    return padded
      ? 'Hatched cells are zeros: the inserted ones and the padding.'
      : 'Hatched cells are the inserted zeros.';
  if (!padded) return '';
  switch (model.kind) {
    case 'max':
      return 'Hatched cells are padding, which max pooling never picks.';
    case 'average':
      return model.padding === ''
        ? "Hatched cells are padding, which TensorFlow's 'same' average pooling leaves out: it divides by the real cells only."
        : 'Hatched cells are padding (zeros), counted in the average.';
    default:
      return 'Hatched cells are padding (zeros).';
  }
}

/**
 * The Convolution figure's legend: what its hatched cells are (only when it has some: a 'valid'
 * convolution has no padding to explain) and what the example numbers are.
 */
export function convLegend(model: WindowModel): string {
  return [hatchText(model), REST[model.kind]].filter(Boolean).join(' ');
}
