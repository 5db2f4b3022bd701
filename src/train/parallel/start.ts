import { MIN_SHARE, shareCount, type Helpers } from '../loop/shares';
import { wasmLabel, type BackendAttempt, type BackendName, type FromWorker } from '../protocol';
import type { HelperInit } from './protocol';

/** Helper workers for one run. */
export interface RunHelpers extends Helpers {
  terminate(): void;
}

/** Starts `count` helper workers (WorkerHelpers.start in the worker; tests pass others). */
export type StartHelpers = (count: number, init: HelperInit) => Promise<RunHelpers>;

/**
 * Helper workers for a run on a backend whose layout has more than one worker, as many as the
 * batch has shares (shares.ts). Where the batch is too small to split, or the helpers cannot
 * start, the run goes on with the training worker alone, and a revised backend message says so.
 */
export async function helpersForRun(
  chosen: { readonly name: BackendName; readonly tried: readonly BackendAttempt[] },
  batchSize: number,
  init: Omit<HelperInit, 'threads'>,
  start: StartHelpers | undefined,
  post: (message: FromWorker) => void,
): Promise<RunHelpers | null> {
  const attempt = chosen.tried.find((t) => t.ok && t.name === chosen.name);
  const workers = attempt?.workers ?? 1;
  if (!attempt || workers < 2 || !start) return null;
  const threads = attempt.threads ?? 1;
  const shares = shareCount(batchSize, workers - 1);
  const revise = (runs: number, why: string) =>
    post({
      type: 'backend',
      name: chosen.name,
      tried: chosen.tried.map((t) =>
        t === attempt ? { ...t, workers: runs, note: `${wasmLabel(runs, threads)}: ${why}` } : t,
      ),
    });
  if (shares < workers)
    revise(
      shares,
      `a batch of ${batchSize} is ${shares === 1 ? 'not split' : `split in ${shares}`} (each worker needs at least ${MIN_SHARE} images)`,
    );
  if (shares < 2) return null;
  post({ type: 'phase', phase: 'model', detail: `Starting ${shares - 1} helper worker${shares > 2 ? 's' : ''}…` });
  try {
    return await start(shares - 1, { ...init, threads });
  } catch (e) {
    revise(1, `the helper workers did not start (${e instanceof Error ? e.message : String(e)})`);
    return null;
  }
}
