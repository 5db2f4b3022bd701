/**
 * Resolves in a new task of the event loop, so that messages already queued for this thread (a
 * worker's pause and stop) are handled first; the session awaits it before every step.
 *
 * `setTimeout(0)` did this at a cost: browsers clamp nested timeouts to 4 ms (HTML's timer
 * rules, from the fifth nesting level on) and Node to 1 ms, a quarter of a 15 ms GPU step. In a
 * browser a message posted to oneself through a MessageChannel is a new task without a clamp
 * (one channel serves every call; the waiting calls resolve in order, one per message). Node
 * hands a port up to 1,000 queued messages in one go, the ones posted meanwhile included, which
 * would shut other ports out; there `setImmediate` runs after the messages waiting (its check
 * phase follows the poll phase that delivers them).
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

export function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const promise = new Promise<void>((resolve) => waiting.push(resolve));
  channel.port2.postMessage(null);
  return promise;
}
