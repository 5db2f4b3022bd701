import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { embedHost, openApp, openPalette, outputOf, pickPreset, row, selectLayer, typeField } from './app';
import { screenshot, useAppServer } from './harness';

const app = useAppServer();

const oldLink = (name: string) =>
  readFileSync(new URL(`../fixtures/links/${name}.txt`, import.meta.url), 'utf8').trim();

/** What the screen shows: the notation chosen, the selected row, the picture tab and the panel tab. */
async function onScreen(page: Page) {
  await page.locator('li.layer-row.selected').first().waitFor();
  return {
    notation: await page.locator('input[name="notation"]:checked').getAttribute('value'),
    selected: await page.locator('li.layer-row.selected').getAttribute('data-row'),
    picture: await page.getByRole('tablist', { name: 'Picture' }).getByRole('tab', { selected: true }).textContent(),
    panel: await page.getByRole('tablist', { name: 'View' }).getByRole('tab', { selected: true }).textContent(),
  };
}

describe('the link is the state', () => {
  it('a copied link and a reload reopen the notation, the selected layer and the picture', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('radio', { name: /Keras/ }).check();
    await selectLayer(page, 'conv2');
    await page.getByRole('tab', { name: 'Weights' }).click();
    await expect.poll(() => page.url()).toContain('picture=weights');
    const link = page.url();
    expect(link).toMatch(/#m=[^&]+&notation=keras&layer=conv2&picture=weights$/);
    const shown = { notation: 'keras', selected: 'conv2', picture: 'Weights', panel: 'Editor' };
    expect(await onScreen(page)).toEqual(shown);

    // Another browser (no autosave, no tab session): the link alone.
    const other = await openApp(app.browser, link);
    expect(await onScreen(other.page)).toEqual(shown);
    expect(await outputOf(other.page, 'conv2')).toBe('14×14×64');
    await screenshot(other.page, 'link-state-opened');
    await other.page.reload();
    await other.page.locator('.rows').first().waitFor();
    expect(await onScreen(other.page)).toEqual(shown);
    expect(other.errors).toEqual([]);

    // The same tab: a plain reload; the Table panel is kept too.
    await page.getByRole('tab', { name: 'Table' }).click();
    await expect.poll(() => page.url()).toContain('panel=table');
    await page.reload();
    await page.locator('.model-title').waitFor();
    await expect.poll(() => page.getByRole('tab', { name: 'Table', selected: true }).count()).toBe(1);
    expect(await page.locator('input[name="notation"]:checked').getAttribute('value')).toBe('keras');
    expect(page.url()).toBe(`${link}&panel=table`);
    expect(errors).toEqual([]);
    await page.close();
    await other.page.close();
  });

  it('a new visit without a link opens the autosaved model in the notation last chosen', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('radio', { name: /Keras/ }).check();
    await expect.poll(() => page.url()).toContain('notation=keras');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('convscope:autosave'))).toContain('MNIST CNN');
    // A new tab of the same browser: no tab session, no link; the autosave and the kept notation.
    const tab = await context.newPage();
    await tab.goto(app.url);
    await expect.poll(() => tab.locator('.model-title').textContent()).toBe('MNIST CNN');
    expect(await tab.locator('input[name="notation"]:checked').getAttribute('value')).toBe('keras');
    expect(await outputOf(tab, 'conv2')).toBe('14×14×64');
    await context.close();
  });

  it('changing the view replaces the address in place: Back still steps through models, not clicks', async () => {
    const { page } = await openApp(app.browser, app.url);
    // One history entry per model opened, counted from the entries the new page starts with.
    const base = await page.evaluate(() => history.length);
    await pickPreset(page, 'lenet5');
    await expect.poll(() => page.evaluate(() => history.length)).toBe(base + 1);
    await pickPreset(page, 'mnist');
    const entries = base + 2;
    await expect.poll(() => page.evaluate(() => history.length)).toBe(entries);
    for (const name of ['conv1', 'pool1', 'conv2', 'pool2']) await selectLayer(page, name);
    await page.getByRole('radio', { name: /Keras/ }).check();
    await expect.poll(() => page.url()).toContain('layer=pool2');
    expect(await page.evaluate(() => history.length)).toBe(entries);
    await page.goBack();
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('LeNet-5');
    // The view on screen stays, and so does the address's account of it.
    expect(await page.locator('input[name="notation"]:checked').getAttribute('value')).toBe('keras');
    await expect.poll(() => page.url()).toContain('notation=keras');
    await page.close();
  });

  it('old links open as before; hostile settings fall back to their defaults', async () => {
    const old = await openApp(app.browser, `${app.url}${oldLink('mnist')}`);
    expect(await onScreen(old.page)).toEqual({
      notation: 'pytorch',
      selected: 'conv1',
      picture: 'Volumes',
      panel: 'Editor',
    });
    await old.page.close();
    const bad = '&notation=tensorflow&layer=%3Cimg%20src%3Dx%3E&picture=__proto__&panel=constructor&lecture=2';
    const hostile = await openApp(app.browser, `${app.url}${oldLink('mnist')}${bad}${'&layer=x'.repeat(5)}`);
    expect(await onScreen(hostile.page)).toEqual({
      notation: 'pytorch',
      selected: 'conv1',
      picture: 'Volumes',
      panel: 'Editor',
    });
    expect(hostile.errors).toEqual([]);
    await hostile.page.close();
  });

  it('an embedded frame opens in the link’s notation with its layer selected, and leaves the address alone', async () => {
    const host = await embedHost(app.url, 'self', `${oldLink('mnist')}&notation=keras&layer=conv2`);
    const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
    try {
      await page.goto(`${host.origin}/host.html`);
      const frame = page.frameLocator('#app');
      await frame.locator('li.layer-row.selected').first().waitFor();
      expect(await frame.locator('li.layer-row.selected').getAttribute('data-row')).toBe('conv2');
      expect(await frame.locator('input[name="notation"]:checked').getAttribute('value')).toBe('keras');
      expect(await frame.locator('li.layer-row[data-row="conv2"] [data-col="output"]').textContent()).toBe('14×14×64');
      await frame.locator('li.layer-row[data-row="pool2"] .row-main').click();
      await page.waitForTimeout(400);
      const src = page
        .frames()
        .find((f) => f.url().includes('embed=1'))
        ?.url();
      expect(src?.endsWith('&notation=keras&layer=conv2')).toBe(true);
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('lecture mode and its step are in the link', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.url()).toMatch(/layer=conv2&lecture=1$/);
    // Lecture mode has no layer list: its heading names the step.
    const view = await app.browser.newPage({ viewport: { width: 1024, height: 768 } });
    await view.goto(page.url());
    await expect.poll(() => view.locator('#lecture-layer').textContent()).toContain('conv2');
    await view.close();
    await page.close();
  });

  it('the causal preset’s title and description follow its kernels, or say it was edited', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'causal-dilated');
    const title = page.locator('.model-title');
    const description = page.locator('p.description');
    expect(await title.textContent()).toBe('Causal dilated Conv1D (lookback 31)');
    // Unedited, the Model menu names the preset itself.
    expect(await page.getByRole('combobox', { name: 'Model', exact: true }).inputValue()).toBe('causal-dilated');
    for (const name of ['conv_d1', 'conv_d2', 'conv_d4', 'conv_d8']) {
      await selectLayer(page, name);
      await typeField(page, 'kernel_size', '2');
    }
    await expect.poll(() => title.textContent()).toBe('Causal dilated Conv1D (lookback 16)');
    // The Model menu no longer names the preset's old title.
    const menu = page.getByRole('combobox', { name: 'Model', exact: true });
    expect(await menu.locator('option:checked').textContent()).toBe('Edited: Causal dilated Conv1D (lookback 16)');
    expect(await description.textContent()).toContain('the last output sees 16 steps back');
    await screenshot(page, 'link-state-causal-kernel-2');
    await openPalette(page);
    await page.getByRole('button', { name: 'Dropout', exact: true }).click();
    await expect.poll(() => title.textContent()).toBe('Causal dilated Conv1D (edited)');
    expect(await description.count()).toBe(0);
    await page.close();
  });

  it("a one-click fix that changes a layer's kind renames it", async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'flatten-dense');
    await page.getByRole('button', { name: 'Replace Flatten with GlobalAveragePooling2D' }).first().click();
    await expect.poll(() => row(page, 'global_average_pooling2d').count()).toBe(1);
    expect(await row(page, 'flatten').count()).toBe(0);
    await screenshot(page, 'link-state-fix-renamed');
    await page.close();
  });
});
