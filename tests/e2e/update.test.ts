import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { embedHost, hostMessages, pickPreset, sendToApp } from './app';
import { buildSite, copySite, deployNewVersion, removeSite } from './built-site';
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
  if (built) removeSite(built);
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
    onTestFinished(() => removeSite(folder));
    const site = await serveFolder(folder, '/convscope/');
    // One browser profile with two tabs: the service worker is theirs together.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('.model-title').waitFor();
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
    await other.locator('.model-title').waitFor();
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
    await page.locator('.model-title').waitFor();
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
    await page.locator('.model-title').waitFor();
    await expect.poll(() => page.evaluate(() => caches.has('convscope-previous-versions'))).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
    await site.close();
  });
});

/** A browser profile with no service worker, so that `context.route` sees every request of the page. */
const plainContext = () => browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });

/** Fails the requests for the files whose names start `parts`, while `blocked.now`; returns the switch. */
async function blockParts(context: BrowserContext, parts: string): Promise<{ now: boolean }> {
  const blocked = { now: true };
  await context.route(new RegExp(`/assets/(${parts})-[^/]*\\.js$`), (route) =>
    blocked.now ? route.abort('connectionfailed') : route.continue(),
  );
  return blocked;
}

describe('a part of the app whose code does not arrive', () => {
  it('says which and why, with Retry, and the rest of the app keeps working', async () => {
    const site = await serveFolder(built, '/convscope/');
    const context = await plainContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('.model-title').waitFor();
    const blocked = await blockParts(context, 'TrainPanel|ExportDialog');

    await page.getByRole('tab', { name: 'Train' }).click();
    const failure = page.locator('.part-failure');
    expect(await failure.innerText()).toMatch(
      /^The Train panel could not be loaded: its code \(TrainPanel-[\w-]+\.js\) did not arrive\.\n+Check the connection, then Retry\. If ConvScope has been updated since this page was opened, Reload opens the new version with your model\./,
    );
    expect(await page.getByRole('alert').innerText()).toMatch(/^The Train panel could not be loaded/);
    await screenshot(page, 'part-failure');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The rest of the app works on.
    await page.getByRole('tab', { name: 'Editor' }).click();
    await pickPreset(page, 'vgg16');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('138,357,544');
    await page.getByRole('tab', { name: 'Train' }).click();
    blocked.now = false;
    await failure.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.train-panel').getByRole('heading', { name: 'Train VGG16' }).waitFor();
    expect(await failure.count()).toBe(0);

    blocked.now = true;
    await page.getByRole('button', { name: 'Export code…' }).click();
    const dialog = page.getByRole('dialog', { name: /^The export dialog could not be loaded/ });
    await dialog.waitFor();
    // The dialog has the keyboard: Retry, its first button, has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Retry');
    await screenshot(page, 'part-failure-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Export code…' }).click();
    blocked.now = false;
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('dialog', { name: /^Export/ })
          .locator('pre')
          .innerText(),
      )
      .toContain('nn.Conv2d(3, 64');
    // In the console: the failed requests and React's report of the errors it caught, nothing else.
    expect(errors.filter((e) => !/net::ERR_CONNECTION_FAILED|module: \S+\/(TrainPanel|ExportDialog)-/.test(e))).toEqual(
      [],
    );
    await context.close();
    await site.close();
  });

  it('a picture whose code does not arrive fails in the picture panel alone, and Retry draws it', async () => {
    const site = await serveFolder(built, '/convscope/');
    const context = await plainContext();
    // Blocked from the start: fetched ahead while the page is idle, the picture's code fails then too.
    const blocked = await blockParts(context, 'ConvolutionView');
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(site.url);
    await page.locator('.model-title').waitFor();
    await pickPreset(page, 'mnist');
    await page.locator('li.layer-row[data-row="conv2"] .row-main').click();
    await page.getByRole('tab', { name: 'Convolution', exact: true }).click();
    const failure = page.locator('#figure-panel .part-failure');
    expect(await failure.innerText()).toMatch(
      /^The Convolution picture could not be loaded: its code \(ConvolutionView-[\w-]+\.js\) did not arrive\./,
    );
    await screenshot(page, 'picture-failure');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The other pictures and the layer list work on.
    await page.getByRole('tab', { name: 'Receptive field', exact: true }).click();
    await page.locator('#figure-panel .field-figure').waitFor();
    await page.locator('li.layer-row[data-row="conv1"] .row-main').click();
    await page.getByRole('tab', { name: 'Convolution', exact: true }).click();
    blocked.now = false;
    await failure.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#figure-panel svg.conv-figure').waitFor();
    expect(await failure.count()).toBe(0);
    expect(errors.filter((e) => !/net::ERR_CONNECTION_FAILED|module: \S+\/ConvolutionView-/.test(e))).toEqual([]);
    await context.close();
    await site.close();
  });

  it('offers Reload, which keeps the model, even one changed a moment before', async () => {
    const site = await serveFolder(built, '/convscope/');
    const context = await plainContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await page.locator('.model-title').waitFor();
    // An earlier change, in the address by now.
    await pickPreset(page, 'vgg16');
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toBe('');
    const blocked = await blockParts(context, 'TrainPanel');
    await page.getByRole('tab', { name: 'Train' }).click();
    const reload = page.locator('.part-failure').getByRole('button', { name: 'Reload' });
    await reload.waitFor();
    blocked.now = false;
    // Within the moment before the address is written (250 ms after a change).
    await pickPreset(page, 'fcn');
    const title = await page.locator('.model-title').textContent();
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await page.locator('.model-title').waitFor();
    expect(await page.locator('.model-title').textContent()).toBe(title);
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.locator('.train-panel').getByRole('button', { name: 'Start training' }).waitFor();
    await context.close();
    await site.close();
  });

  it('in an embedded app, it is said in the frame when the host asks for training', async () => {
    const site = await serveFolder(built, '/convscope/');
    const host = await embedHost(site.url, 'self');
    const context = await plainContext();
    const page = await context.newPage();
    await page.goto(`${host.origin}/host.html`);
    const frame = page.frameLocator('#app');
    await frame.locator('.model-title').waitFor();
    await blockParts(context, 'trainer');
    await sendToApp(page, { type: 'convscope:train', config: { dataset: 'synthetic', epochs: 1, batchSize: 32 } });
    expect(await frame.getByRole('alert').innerText()).toMatch(
      /^Training could not be loaded: its code \(trainer-[\w-]+\.js\) did not arrive\. Check the connection and try again\./,
    );
    await context.close();
    await host.close();
    await site.close();
  });

  it('in an embedded app, the host page hears convscope:error', async () => {
    const site = await serveFolder(built, '/convscope/');
    const host = await embedHost(site.url, 'self');
    const context = await plainContext();
    const page = await context.newPage();
    await page.goto(`${host.origin}/host.html`);
    await page.frameLocator('#app').locator('.model-title').waitFor();
    await blockParts(context, 'trainer');
    await sendToApp(page, { type: 'convscope:train', config: { dataset: 'synthetic', epochs: 1, batchSize: 32 } });
    await expect
      .poll(async () => (await hostMessages(page)).filter((m) => m.type === 'convscope:error').map((m) => m['message']))
      .toEqual([expect.stringMatching(/^Training could not be loaded: its code \(trainer-[\w-]+\.js\)/)]);
    await context.close();
    await host.close();
    await site.close();
  });
});
