import { describe, it } from 'vitest';
import { tinyCnn } from './loop/epoch-memory';
import { expectPauseAndStopBetweenSteps } from './session-controls';

/**
 * Pause and stop posted to the worker while it trains (session-controls.ts) act before the next
 * step: the session's yield before each step lets a queued message in. (On WebGPU, with steps
 * queued on the GPU: tests/train/backend/webgpu-epochs.test.ts.)
 */
describe('pause and stop posted while training', () => {
  it('on WASM: each is handled before the next step, the pause holds, the stop ends the run', async () => {
    await expectPauseAndStopBetweenSteps(tinyCnn, 'wasm');
  }, 120_000);
});
