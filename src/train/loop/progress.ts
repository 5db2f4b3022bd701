import * as tf from '@tensorflow/tfjs';

/** The shortest time between two progress reports (the Train panel shows no more). */
export const REPORT_MS = 200;

/** What a report reads back: the last step's loss and correct predictions, and the sums since the epoch began. */
export interface ProgressValues {
  readonly loss: number;
  readonly hits: number;
  readonly lossSum: number;
  readonly hitSum: number;
}

/**
 * An epoch's loss and correct predictions, summed where the step computed them (on WebGPU, on
 * the GPU) and read back only when a report is due. Awaiting each step's loss made every step
 * wait for the GPU to finish it and cost a readback (a buffer mapping) per step; now the steps
 * between two reports are queued one after another and one readback carries all four numbers.
 */
export class Progress {
  private last: { loss: tf.Scalar; hits: tf.Scalar } | null = null;
  private sums: { loss: tf.Scalar; hits: tf.Scalar } | null = null;

  /** Adds a step's loss (its batch's mean) and correct predictions; takes both tensors over. */
  add(loss: tf.Scalar, hits: tf.Scalar): void {
    const sums = this.sums;
    this.sums = tf.tidy(() => ({
      loss: tf.keep(sums ? tf.add<tf.Scalar>(sums.loss, loss) : loss.clone()),
      hits: tf.keep(sums ? tf.add<tf.Scalar>(sums.hits, hits) : hits.clone()),
    }));
    if (sums) tf.dispose([sums.loss, sums.hits]);
    if (this.last) tf.dispose([this.last.loss, this.last.hits]);
    this.last = { loss, hits };
  }

  /** Reads the last step's values and the sums, in one readback; waits for the queued steps. */
  async read(): Promise<ProgressValues> {
    if (!this.last || !this.sums) throw new Error('Progress.read before any step');
    const { last, sums } = this;
    const values = tf.tidy(() => tf.stack([last.loss, last.hits, sums.loss, sums.hits].map((t) => t.toFloat())));
    const [loss, hits, lossSum, hitSum] = Array.from(await values.data());
    values.dispose();
    return { loss: loss as number, hits: hits as number, lossSum: lossSum as number, hitSum: hitSum as number };
  }

  dispose(): void {
    for (const pair of [this.last, this.sums]) if (pair) tf.dispose([pair.loss, pair.hits]);
    this.last = this.sums = null;
  }
}
