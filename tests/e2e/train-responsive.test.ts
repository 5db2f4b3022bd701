import type { Browser, Locator, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, pickPreset } from './app';
import { buildSite, previewSite, removeSite } from './built-site';
import { launchBrowser, screenshot } from './harness';

/**
 * While a run trains, the page stays responsive and shows it: no main-thread task over 50 ms (the
 * Long Tasks API's threshold, past which a click or a key waits visibly) and the Train panel's
 * numbers changing as reports come (at most every 200 ms).
 *
 * The window watched opens when the first progress report shows (the worker has chosen its
 * backend, made the data set and the model, and run a step) and lasts WATCH_MS; it ends before
 * Stop is pressed. The page's load, the preset's switch, the Train tab's first render and the
 * worker's start come before it, and the results drawn after a stop after it: they are one-off
 * work a user asked for, not a cost of training.
 *
 * The site is the production build (`npm run build`, served as `npm run preview` does), as users
 * get it: React's development build, which the dev server serves, checks every element it makes
 * and doubled the main thread's work per report.
 */
let outDir: string;
let site: { url: string; server: PreviewServer };
let browser: Browser;

beforeAll(async () => {
  outDir = await buildSite();
  site = await previewSite(outDir);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
  if (outDir) removeSite(outDir);
});
const WATCH_MS = 6000;

interface Watched {
  readonly tasks: { start: number; duration: number }[];
  /** Each change of the panel's progress text: when (ms) and what it said. */
  readonly texts: { at: number; text: string }[];
  /** The longest time between two animation frames in the window (ms). */
  readonly frameGap: number;
  readonly from: number;
  readonly to: number;
}

/** What the page records (in `window.watched`). */
interface Recorded {
  readonly tasks: { start: number; duration: number }[];
  readonly texts: { at: number; text: string }[];
  readonly frames: number[];
}

/** Records long tasks, animation frames and the progress text from now on, in the page. */
const startWatching = (page: Page) =>
  page.evaluate(() => {
    const watched: Recorded = { tasks: [], texts: [], frames: [] };
    (window as unknown as { watched: Recorded }).watched = watched;
    new PerformanceObserver((list) =>
      watched.tasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))),
    ).observe({ type: 'longtask' });
    const frame = (t: number) => {
      watched.frames.push(t);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new MutationObserver(() => {
      const text = (document.querySelector('.train-progress .bars') as HTMLElement | null)?.innerText ?? '';
      if (text && text !== watched.texts.at(-1)?.text) watched.texts.push({ at: performance.now(), text });
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

/** What was recorded from the first progress text to now. */
const watchedSinceProgress = (page: Page) =>
  page.evaluate((): Watched => {
    const { watched } = window as unknown as { watched: Recorded };
    const from = watched.texts[0]?.at ?? Infinity;
    const to = performance.now();
    const frames = watched.frames.filter((t) => t >= from);
    const gaps = frames.slice(1).map((t, i) => t - (frames[i] as number));
    return {
      tasks: watched.tasks.filter((t) => t.start >= from),
      texts: watched.texts,
      frameGap: Math.max(0, ...gaps),
      from,
      to,
    };
  });

async function trainForm(page: Page, backend: string, batch: number, images: string): Promise<Locator> {
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.waitFor();
  await panel.getByLabel('Data set', { exact: true }).selectOption('synthetic');
  await panel.getByLabel('Backend', { exact: true }).selectOption(backend);
  await panel.getByLabel('Epochs', { exact: true }).fill('50');
  await panel.getByLabel('Batch size', { exact: true }).fill(String(batch));
  await panel.getByLabel('Training images', { exact: true }).fill(images);
  // A stopped run is evaluated on the test images: few, so that Stop ends it soon.
  await panel.getByLabel('Test images', { exact: true }).fill('32');
  return panel;
}

describe('the page while training', () => {
  // SwiftShader runs WebGPU on the CPU, a few images a second: small batches, fewer reports. On
  // the backend picked (WASM here) epochs of 8 steps, so that epochs end (the curves, the epoch
  // table and an evaluation) inside the window.
  for (const { backend, label, batch, images, reports, epochs } of [
    {
      backend: '',
      label: 'the backend ConvScope picks',
      batch: 16,
      images: '128',
      reports: WATCH_MS / 1000,
      epochs: 2,
    },
    { backend: 'webgpu', label: 'WebGPU (SwiftShader here)', batch: 4, images: '', reports: 2, epochs: 0 },
  ]) {
    it(`on ${label}: no main-thread task over 50 ms, and the panel's numbers change`, async () => {
      const { page, errors } = await openApp(browser, site.url, 1280, 900);
      await pickPreset(page, 'fcn');
      const panel = await trainForm(page, backend, batch, images);
      await startWatching(page);
      await panel.getByRole('button', { name: 'Start training' }).click();
      await panel.locator('.train-progress .bars').waitFor({ timeout: 120_000 });
      await page.waitForTimeout(WATCH_MS);
      const seen = await watchedSinceProgress(page);
      const epochRows = await panel.locator('.epoch-table tbody tr').count();
      await panel.locator('.train-progress').scrollIntoViewIfNeeded();
      await screenshot(page, `train-responsive-${backend || 'auto'}`);
      const texts = seen.texts.filter((t) => t.at <= seen.to).map((t) => t.text);
      const where = `${texts.length} progress texts in ${((seen.to - seen.from) / 1000).toFixed(1)} s; longest gap between frames ${seen.frameGap.toFixed(0)} ms`;
      console.log(`${label}: ${where}; long tasks ${JSON.stringify(seen.tasks)}`);
      await panel.getByRole('button', { name: 'Stop' }).click();
      await panel.getByRole('heading', { name: /^Stopped/ }).waitFor({ timeout: 60_000 });
      expect(seen.to - seen.from).toBeGreaterThanOrEqual(WATCH_MS);
      expect(
        seen.tasks.map((t) => Math.round(t.duration)),
        `main-thread tasks over 50 ms while training (${where})`,
      ).toEqual([]);
      // Live progress: reports come at most every 200 ms, as the steps allow.
      expect(new Set(texts).size, where).toBeGreaterThanOrEqual(reports);
      const steps = texts.map((t) => /Epoch (\d+) of 50: step (\d+) of (\d+)/.exec(t)).filter((m) => m !== null);
      const position = (m: RegExpExecArray) => (Number(m[1]) - 1) * Number(m[3]) + Number(m[2]);
      expect(position(steps.at(-1)!)).toBeGreaterThan(position(steps[0]!));
      expect(epochRows).toBeGreaterThanOrEqual(epochs);
      expect(texts.some((t) => /Speed\s+[\d,]+ images\/s/.test(t))).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000);
  }
});
