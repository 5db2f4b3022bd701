/**
 * `npm run bench:yield`: what the training loop's yield before every step costs,
 * `setTimeout(0)` (what the session used) against loop/next-task.ts (setImmediate in Node, a
 * MessageChannel message in a browser),
 * in Node and in a dedicated worker of headless Chromium (where the app's training runs). Each
 * row: the mean time of one yield over a chain of N, each after a `work` ms busy step. Then, in
 * the worker, whether a message posted to it is handled before the next step begins.
 */
import { launchBrowser, startApp } from '../e2e/harness';
import { nextTask } from '../../src/train/loop/next-task';

const N = 300;
const WORK_MS = [0, 5];
const MESSAGES = 20;
let late: number[] = [];

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

async function chain(yieldOnce: () => Promise<void>, work: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    busy(work);
    await yieldOnce();
  }
  return (performance.now() - t0) / N - work;
}

const timeout = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const rows: { where: string; work: number; setTimeout: number; nextTask: number }[] = [];
for (const work of WORK_MS)
  rows.push({
    where: 'Node',
    work,
    setTimeout: await chain(timeout, work),
    nextTask: await chain(nextTask, work),
  });

const { url, server } = await startApp();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(url);
  // A module worker served by Vite, as the app's training worker is.
  const inWorker = (await page.evaluate(`new Promise((resolve, reject) => {
    const source = \`
      import { nextTask } from '${url.replace(/\/$/, '')}/src/train/loop/next-task.ts';
      const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
      const timeout = () => new Promise((r) => setTimeout(r, 0));
      async function chain(y, work) {
        const t0 = performance.now();
        for (let i = 0; i < ${N}; i++) { busy(work); await y(); }
        return (performance.now() - t0) / ${N} - work;
      }
      const out = [];
      for (const work of ${JSON.stringify(WORK_MS)})
        out.push({ work, setTimeout: await chain(timeout, work), nextTask: await chain(nextTask, work) });
      postMessage(out);\`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
  })`)) as { work: number; setTimeout: number; nextTask: number }[];
  for (const r of inWorker) rows.push({ where: 'Chromium worker', ...r });
  // Steps of 5 ms with nextTask() between them while the page posts messages to the worker, as
  // the panel posts pause and stop: how many steps began after a message was posted, before it was handled.
  late = (await page.evaluate(`new Promise((resolve, reject) => {
    const source = \`
      import { nextTask } from '${url.replace(/\/$/, '')}/src/train/loop/next-task.ts';
      const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
      const starts = [];
      const late = [];
      onmessage = (e) => late.push(starts.filter((t) => t > e.data).length);
      postMessage('ready');
      const end = performance.now() + ${MESSAGES * 100 + 500};
      while (performance.now() < end) {
        starts.push(performance.timeOrigin + performance.now());
        busy(5);
        await nextTask();
      }
      postMessage(late);\`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    let sent = 0;
    worker.onmessage = (e) => {
      if (e.data !== 'ready') return resolve(e.data);
      const timer = setInterval(() => {
        worker.postMessage(performance.timeOrigin + performance.now());
        if (++sent === ${MESSAGES}) clearInterval(timer);
      }, 97);
    };
    worker.onerror = (e) => reject(new Error(e.message));
  })`)) as number[];
} finally {
  await browser.close();
  await server.close();
}

console.log(`One yield, mean of ${N} (ms; the step's own work subtracted):`);
console.table(
  rows.map((r) => ({
    where: r.where,
    'step work ms': r.work,
    'setTimeout(0)': r.setTimeout.toFixed(3),
    'nextTask()': r.nextTask.toFixed(3),
  })),
);
console.log(
  `Chromium worker, 5 ms steps: of ${late.length} messages posted to it, steps begun between posting and handling: ` +
    `${late.join(', ')} (at most ${Math.max(...late)})`,
);
