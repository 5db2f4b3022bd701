/**
 * Learning-rate schedules, step by step, as PyTorch computes them (so a run in the tab and the
 * exported training script follow the same curve): `step` is MultiStepLR at 50% and 75% of the
 * steps (×0.1 each, He et al. 2016's schedule in proportion), `cosine` is the cosine from the peak
 * to 0 (as LambdaLR in the script), `onecycle` is OneCycleLR (cosine annealing, div_factor 25,
 * final_div_factor 1e4, the same warm-up share as the script).
 */
export type Schedule = 'constant' | 'step' | 'cosine' | 'onecycle';

export const SCHEDULES: readonly Schedule[] = ['onecycle', 'cosine', 'step', 'constant'];

/** The learning rate of step `step` (0-based) of `total`, for the peak rate `peak`. */
export function learningRate(schedule: Schedule, peak: number, step: number, total: number): number {
  switch (schedule) {
    case 'constant':
      return peak;
    case 'step':
      return peak * 0.1 ** ((step >= Math.floor(total * 0.5) ? 1 : 0) + (step >= Math.floor(total * 0.75) ? 1 : 0));
    case 'cosine':
      return peak * 0.5 * (1 + Math.cos((Math.PI * step) / total));
    case 'onecycle':
      return total >= 4 ? oneCycle(peak, step, total) : peak;
  }
}

/** torch.optim.lr_scheduler.OneCycleLR, two phases, cosine annealing. */
function oneCycle(peak: number, step: number, total: number): number {
  const pctStart = Math.min(0.5, Math.max(0.25, 2 / total));
  const initial = peak / 25;
  const minimum = initial / 1e4;
  const warmEnd = pctStart * total - 1;
  const [from, to, start, end] = step <= warmEnd ? [initial, peak, 0, warmEnd] : [peak, minimum, warmEnd, total - 1];
  const pct = end === start ? 1 : (step - start) / (end - start);
  return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
}
