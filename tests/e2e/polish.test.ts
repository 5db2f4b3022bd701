import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApp, openPalette, pickPreset, row, selectLayer, typeField } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

/** What has the keyboard focus: its text, class and the row it is in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName ?? '',
      text: el?.textContent ?? '',
      className: el?.className ?? '',
      row: el?.closest('[data-row]')?.getAttribute('data-row') ?? null,
      inRows: !!el?.closest('.rows'),
    };
  });

const openFigure = async (page: Page, tab: string) => {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.locator('#figure-panel').scrollIntoViewIfNeeded();
};

describe('the smaller things users hit', () => {
  // The dev server's first page transforms every module: on a busy machine it outlasts a goto.
  beforeAll(async () => {
    const page = await app.browser.newPage();
    await page.goto(app.url, { timeout: 180_000 });
    await page.locator('.rows').first().waitFor({ timeout: 180_000 });
    await page.close();
  }, 200_000);

  it('keyboard: a skip link, one Tab stop for the palette, Delete keeps the focus on a row', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    // A fresh page (the model stays, by its link): the focus starts at the top.
    await page.reload();
    await page.locator('.rows').first().waitFor();
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to layers');
    const link = await page.getByRole('link', { name: 'Skip to layers' }).boundingBox();
    expect(link!.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'polish-skip-link-1280x800');
    await page.keyboard.press('Enter');
    expect((await focused(page)).inRows).toBe(true);

    // Without the link: Tab stops before the first row (47 before, 37 of them the palette).
    await page.reload();
    await page.locator('.rows').first().waitFor();
    let stops = 0;
    while (!(await focused(page)).inRows && stops < 60) {
      await page.keyboard.press('Tab');
      stops++;
    }
    expect(stops).toBeLessThanOrEqual(20);
    await openPalette(page);
    expect(await page.locator('.palette button[tabindex="0"]').count()).toBe(1);
    await page.locator('.palette button').first().focus();
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).text).toBe(await page.locator('.palette button').nth(1).textContent());

    // Delete on conv2 focuses the next row, pool2; on the last row, the one before.
    await row(page, 'conv2').locator('.row-main').focus();
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await focused(page)).row).toBe('pool2');
    expect(await row(page, 'conv2').count()).toBe(0);
    await row(page, 'fc2').locator('.row-main').focus();
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await focused(page)).row).toBe('dropout');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('drag announcements say where the layer went, in the list’s words', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    const live = page.locator('[id^="DndLiveRegion"]');
    await row(page, 'conv1').locator('.handle').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => live.textContent()).toBe('Picked up conv1, layer 2 of 9.');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => live.textContent()).toContain('conv1 is over pool1');
    await page.keyboard.press('Space');
    await expect.poll(() => live.textContent()).toBe('conv1 moved below pool1, now layer 3 of 9.');
    expect(await page.locator('.rows li.layer-row').nth(2).getAttribute('data-row')).toBe('conv1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cells say what they hold: batch norm vectors by name, blocks by their layers, the field by its parts; counts in the singular', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-b');
    const weights = (name: string) => row(page, name).locator('[data-col="weights"]').textContent();
    const bn = await page.locator('li.layer-row[data-row*="bn"]').first().getAttribute('data-row');
    expect(await weights(bn!)).toBe('weight 16 · bias 16 · running_mean 16 · running_var 16');
    const block = page
      .locator('li.layer-row')
      .filter({ has: page.locator('.expand') })
      .first();
    expect(await block.locator('[data-col="weights"]').textContent()).toMatch(/^3×3 conv ×2 \+ BN ×2/);
    expect(await page.locator('.columns').textContent()).toContain('size / jump / start');
    expect(await row(page, bn!).locator('[data-col="rf"]').getAttribute('title')).toMatch(
      /^Receptive field: size \d+, jump \d+, start -?\d+$/,
    );
    await page.getByRole('radio', { name: /Keras/ }).check();
    expect(await weights(bn!)).toBe('gamma 16 · beta 16 · moving_mean 16 · moving_variance 16');
    await screenshot(page, 'polish-cells-resnet20-1280x800');

    await page.getByRole('button', { name: 'New', exact: true }).click();
    expect(await page.locator('.list-header p').first().textContent()).toMatch(/^1 layer · /);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bigger input grows the Dense after Flatten, and the app says so', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('radio', { name: /Keras/ }).check();
    await selectLayer(page, 'fc1');
    // 7×7×64 = 3,136 features × 1,024 units + 1,024 biases.
    expect(await page.getByTestId('dense-size').textContent()).toContain(
      'Its 3,212,288 weights depend on the 28×28 input',
    );
    await selectLayer(page, 'input');
    await typeField(page, 'shape', '56, 56, 1');
    await page.locator('.layer-form').getByLabel('shape', { exact: true }).press('Tab');
    // 14×14×64 = 12,544 features: 12,845,056 + 1,024.
    await expect
      .poll(() => page.locator('.notice-text').allTextContents())
      .toContainEqual(expect.stringContaining("fc1's weights went from 3,212,288 to 12,846,080"));
    await selectLayer(page, 'fc1');
    expect(await page.getByTestId('dense-size').textContent()).toContain('depend on the 56×56 input');
    expect(await page.getByTestId('dense-size').textContent()).toContain('GlobalAveragePooling2D');
    await screenshot(page, 'polish-dense-note-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the Convolution legend explains hatching only with padding; the Channels view says how to stack arrays', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'two-channel');
    await selectLayer(page, 'conv1');
    await openFigure(page, 'Convolution');
    const caption = page.locator('#figure-panel .figure-caption');
    expect(await caption.textContent()).not.toContain('Hatched');
    await typeField(page, 'padding', 'same');
    await expect.poll(() => caption.textContent()).toContain('Hatched cells are padding (zeros).');
    await openFigure(page, 'Channels');
    await expect.poll(() => caption.textContent()).toContain('torch.stack([a, b], dim=1)');
    expect(await caption.textContent()).toContain('N×2×12×12');
    await page.getByRole('radio', { name: /Keras/ }).check();
    await expect.poll(() => caption.textContent()).toContain('np.stack([a, b], axis=-1)');
    expect(await caption.textContent()).toContain('12×12×2');
    await screenshot(page, 'polish-stack-hint-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a problem stands in full once: the list of all gives the selected layer’s first sentence', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv2');
    await typeField(page, 'padding', 'valid');
    await typeField(page, 'kernel_size', '15');
    await expect.poll(() => page.locator('.inspector .problems').textContent()).toContain('Output height would be 0');
    const full = (await page.locator('.inspector .problems li').first().textContent()) ?? '';
    const top = (await page.locator('.model-problems .problems li').first().textContent()) ?? '';
    expect(top).toContain('In full, with fixes, in the layer');
    expect(top.length).toBeLessThan(full.length);
    expect(await page.getByTestId('why').textContent()).toBe('Not built: see the problem below.');
    await screenshot(page, 'polish-problem-once-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });
});
