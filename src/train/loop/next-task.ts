/**
 * Resolves in a new task of the event loop, so that messages already queued for this thread (a
 * worker's pause and stop) are handled first; the loop awaits it before every step.
 *
 * `setTimeout(0)` did this at a cost: browsers clamp nested timeouts to 4 ms (HTML's timer
 * rules, from the fifth nesting level on) and Node to 1 ms, which is a quarter of a 15 ms GPU
 * step. A message posted to oneself through a MessageChannel is a new task without a clamp.
 * One channel serves every call; the waiting calls resolve in order, one per message.
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

/** Node's ports keep the process alive while referenced: only while a call waits. */
type NodePort = MessagePort & { ref?: () => void; unref?: () => void };

function open(): MessageChannel {
  const made = new MessageChannel();
  made.port1.onmessage = () => {
    waiting.shift()?.();
    if (waiting.length === 0) (made.port1 as NodePort).unref?.();
  };
  (made.port1 as NodePort).unref?.();
  return made;
}

export function nextTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  channel ??= open();
  const promise = new Promise<void>((resolve) => waiting.push(resolve));
  (channel.port1 as NodePort).ref?.();
  channel.port2.postMessage(null);
  return promise;
}
