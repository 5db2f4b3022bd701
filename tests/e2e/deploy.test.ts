import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../src/pwa/isolation';
import { isolatedHost, openApp, threadedWasmText, wasmLayoutText } from './app';
import { buildSite, previewSite, removeSite } from './built-site';
import { launchBrowser, serveFolder } from './harness';

let browser: Browser;
/** The built site from a static host that sends no headers of ours (as GitHub Pages). */
let site: { url: string; close: () => Promise<void> };
/** The same build from a host that sends the isolation headers, as a server one configures would. */
let isolatedSite: { url: string; close: () => Promise<void> };
let outDir: string;

beforeAll(async () => {
  outDir = await buildSite();
  site = await serveFolder(outDir, '/docs/tools/convscope/');
  isolatedSite = await serveFolder(outDir, '/convscope/', ISOLATION_HEADERS);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await isolatedSite?.close();
  if (outDir) removeSite(outDir);
});

/** Trains the fully convolutional preset on WASM for one short epoch; returns the backend list. */
async function trainOnWasm(page: Page): Promise<string[]> {
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('fcn');
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.getByLabel('Backend', { exact: true }).selectOption('wasm');
  for (const [label, value] of [
    ['Epochs', '1'],
    ['Training images', '128'],
    ['Test images', '64'],
  ] as const)
    await panel.getByLabel(label, { exact: true }).fill(value);
  await panel.getByRole('button', { name: 'Start training' }).click();
  await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 90_000 });
  expect(await panel.locator('.train-results').innerText()).toMatch(/on wasm/);
  await panel.getByText('Backend: WASM').click();
  // The summary line, then each backend tried.
  return [
    await panel.locator('details.backend summary').innerText(),
    ...(await panel.locator('details.backend li').allInnerTexts()),
  ];
}

describe('the built site', () => {
  it('works from a sub-path with no server of its own, and keeps working offline once loaded', async () => {
    // `?wasm=1x2`: one worker on tfjs' threaded WASM build, where the page allows it.
    const { page, errors } = await openApp(browser, `${site.url}?wasm=1x2`);
    const context = page.context();
    expect(await page.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
    // This host sends no isolation headers: the first visit gets no threads, and says why.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await trainOnWasm(page)).toEqual([
      'Backend: WASM, one thread',
      'WASM: works, one thread: this page is not cross-origin isolated, which WASM threads need',
    ]);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.locator('.model-title').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // From here the service worker serves the site, with the isolation headers.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.locator('.model-title').waitFor();
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('vgg16');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('138,357,544');

    // Training too, offline, from the minified bundle: its module worker, the helper workers
    // (nested module workers) and the WASM backend's binaries come from the service worker's
    // cache, and it runs on every core.
    expect(await trainOnWasm(page)).toEqual(await threadedWasmText(page));
    await page.goto(site.url);
    await page.locator('.rows').waitFor();
    expect(await trainOnWasm(page)).toEqual(await wasmLayoutText(page));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('trains on WASM threads from the minified bundle where the host isolates the page, offline too', async () => {
    const { page, errors } = await openApp(browser, `${isolatedSite.url}?wasm=1x2`);
    const context = page.context();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // From the service worker's cache, which keeps the headers with each response.
    await context.setOffline(true);
    await page.reload();
    await page.locator('.rows').waitFor();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // Minified, tfjs' own threaded start hangs (vite.config.ts, tfjsWasmThreadsSource).
    expect(await trainOnWasm(page)).toEqual(await threadedWasmText(page));
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** The app's frame in a host page, once it shows the model. */
async function appFrame(page: Page): Promise<Frame> {
  await page.frameLocator('#app').locator('.rows').waitFor();
  const frame = page.frames().find((f) => f.url().includes('embed=1'));
  if (!frame) throw new Error('the app frame is not there');
  return frame;
}

describe('embedded in a cross-origin isolated page', () => {
  it('loads from npm run preview, and the frame is isolated too (WASM threads)', async () => {
    const { url, server } = await previewSite(outDir);
    // Another site (localhost, not 127.0.0.1), as a docs site embedding the app would be.
    const host = await isolatedHost(url);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.origin.replace('127.0.0.1', 'localhost')}/host.html`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const frame = await appFrame(page);
    expect(await frame.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await frame.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
    await context.close();
    await host.close();
    await server.close();
  });

  it('loads from the service worker where the host sends no headers', async () => {
    // A visit to the app (from a host like GitHub Pages) installs the service worker; the isolated
    // page is on the same site, so the frame it embeds is served by that service worker.
    const context = await browser.newContext();
    const visit = await context.newPage();
    await visit.goto(site.url);
    await visit.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const host = await isolatedHost(site.url);
    const page = await context.newPage();
    await page.goto(`${host.origin}/host.html`);
    const frame = await appFrame(page);
    expect(await frame.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await frame.evaluate(() => crossOriginIsolated)).toBe(true);
    await context.close();
    await host.close();
  });
});
