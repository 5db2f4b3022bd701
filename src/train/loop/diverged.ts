/**
 * The loss stopped being a number: once NaN or infinite reaches the weights no later step can
 * recover, so the run stops at the first report that reads it (at most REPORT_MS of steps later)
 * and says what to change. The run's totals are sums since the epoch began, so a single bad step
 * between two reports is seen too.
 */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
  constructor(loss: number, epoch: number, step: number, steps: number, lr: number) {
    const value = Number.isNaN(loss) ? 'NaN (not a number)' : Number.isFinite(loss) ? 'NaN or infinite' : 'infinite';
    super(
      `Training stopped: the loss became ${value} by step ${step} of ${steps} in epoch ${epoch}, and the weights ` +
        `can't recover from that. The learning rate was ${Number(lr.toPrecision(3))}: try one 10 times smaller, ` +
        `or Adam at 0.003; a model without batch normalization often needs it.`,
    );
  }
}
