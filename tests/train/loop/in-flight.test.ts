import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/train/loop/in-flight';

/**
 * The loop waits after queuing a step while more than two are unfinished on the GPU: a slow GPU
 * (a software adapter) then holds at most two steps behind the host, so a report, a pause or a
 * stop waits for two steps, not for all the host could queue. Here the GPU is a list of fences
 * resolved by hand.
 */
describe('steps in flight', () => {
  it('lets two steps be unfinished, and waits for the oldest before a third goes on', async () => {
    const gpu: (() => void)[] = [];
    const fence = () => new Promise<void>((resolve) => gpu.push(resolve));
    const inFlight = new InFlight(fence, 2);
    let queued = 0;
    const loop = (async () => {
      for (let step = 0; step < 5; step++) {
        await inFlight.queued();
        queued++;
      }
    })();
    const settle = () => new Promise((r) => setTimeout(r, 10));
    await settle();
    // Steps 1 and 2 are queued; the third waits for step 1.
    expect([queued, gpu.length]).toEqual([2, 3]);
    gpu[1]!();
    await settle();
    expect(queued).toBe(2);
    gpu[0]!();
    await settle();
    // Steps 1 and 2 done: 3 and 4 go on, 5 waits for 3.
    expect([queued, gpu.length]).toEqual([4, 5]);
    gpu.forEach((done) => done());
    await loop;
    expect(queued).toBe(5);
  });

  it('never waits where steps are computed as they are called (no fence)', async () => {
    const inFlight = new InFlight(() => null, 2);
    for (let step = 0; step < 100; step++) await inFlight.queued();
  });
});
