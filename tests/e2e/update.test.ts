import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPreset } from './app';
import { buildSite, copySite, deployNewVersion } from './built-site';
import { collectPageErrors, launchBrowser, screenshot, seriousAxeViolations, serveFolder } from './harness';

let browser: Browser;
/** The built site, version A. */
let built: string;

beforeAll(async () => {
  built = await buildSite();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The entry script the page runs: its version. */
const entryOf = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src ?? '');

/** Presses Tab until `name`d button has the focus, as a keyboard user reaches it; fails if it never does. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((n) => document.activeElement?.textContent?.trim() === n, name)) return;
  }
  throw new Error(`Tab never reached the ${name} button`);
}

/** Trains the model on screen for one short epoch on WASM, from the Train tab. */
async function trainShortly(page: Page): Promise<void> {
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
}

describe('a new version deployed while the app is open', () => {
  it('keeps the open page working, says a new version is ready, and reloads into it keeping the model', async () => {
    const folder = copySite(built);
    const site = await serveFolder(folder, '/convscope/');
    // One browser profile with two tabs: the service worker is theirs together.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('.rows').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await pickPreset(page, 'fcn');
    const title = await page.locator('.model-title').textContent();
    expect(title).not.toBe('ResNet-20 (option A)');
    const before = await entryOf(page);

    // The host replaces the folder; someone opens the app in another tab (which the old version's
    // service worker still serves), the browser finds the new one, and it takes over both tabs.
    const renamed = deployNewVersion(folder);
    const other = await context.newPage();
    await other.goto(site.url);
    await other.locator('.rows').waitFor();
    expect(await entryOf(other)).toBe(before);
    const notice = page.locator('.update-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toContain('A new version of ConvScope is ready.');

    // This page runs the old version, whose parts are no longer on the server: they still load.
    await page.getByRole('button', { name: 'Export code…' }).click();
    const exportDialog = page.getByRole('dialog', { name: /^Export/ });
    await expect.poll(() => exportDialog.locator('pre').innerText()).toContain('nn.Conv2d(');
    await exportDialog.getByRole('button', { name: 'Close' }).click();
    // Training too: its worker, helper workers and WASM binaries are the old version's.
    await trainShortly(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'new-version-notice');

    await tabTo(page, 'Reload');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await page.locator('.rows').waitFor();
    const after = await entryOf(page);
    expect(after.endsWith(`/assets/${renamed.get(before.split('/').pop() ?? '')}`)).toBe(true);
    expect(await page.locator('.model-title').textContent()).toBe(title);
    expect(await page.locator('.update-notice').count()).toBe(0);

    // The other tab still runs the old version: its files stay (the service worker has asked
    // both tabs by now), and its Train panel loads.
    await page.waitForTimeout(2000);
    expect(await page.evaluate(() => caches.has('convscope-previous-versions'))).toBe(true);
    await other.getByRole('tab', { name: 'Train' }).click();
    await other.locator('.train-panel').getByRole('button', { name: 'Start training' }).waitFor();
    // Once no page runs it, its files go, when the next page starts.
    await other.close();
    await page.reload();
    await page.locator('.rows').waitFor();
    await expect.poll(() => page.evaluate(() => caches.has('convscope-previous-versions'))).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
    await site.close();
  });
});
