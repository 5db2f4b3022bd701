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
    expect(errors).toEqual([]);
    await context.close();
  });
});
