import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, collectPageErrors, launchBrowser, serveFolder } from './harness';

let browser: Browser;
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const outDir = join(mkdtempSync(join(tmpdir(), 'convscope-dist-')), 'dist');
  await build({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  site = await serveFolder(outDir, '/docs/tools/convscope/');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the built site', () => {
  it('works from a sub-path with no server of its own, and keeps working offline once loaded', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('.rows').waitFor();
    expect(await page.locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.locator('.rows').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.locator('.rows').waitFor();
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('vgg16');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('138,357,544');

    // Training too, offline, from the minified bundle: its module worker and the single-threaded
    // WASM backend's binaries come from the service worker's cache.
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
    expect(errors).toEqual([]);
    await context.close();
  });
});
