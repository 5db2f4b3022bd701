import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deepStackModel, wideMergeModel } from '../big-models';
import { row, selectLayer } from './app';
import { collectPageErrors, screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

/** A returning visit: the model is the autosaved one, as after a user opened it earlier. */
async function visitWithAutosave(model: Record<string, unknown>): Promise<{ page: Page; errors: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const text = JSON.stringify(model);
  await context.addInitScript((saved) => localStorage.setItem('convscope:autosave', saved), text);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.locator('li.layer-row').first().waitFor();
  return { page, errors };
}

/** Scrolls the list's box to the row at `index` (rows are about 51 pixels tall). */
async function scrollToRow(page: Page, index: number): Promise<void> {
  await page.locator('.stack').evaluate((el, i) => (el.scrollTop = i * 51 - 200), index);
}

const inspectorTitle = (page: Page) => page.locator('#inspector-title').textContent();
const why = (page: Page) => page.getByTestId('why').textContent();

describe('large models open and answer', () => {
  it('800 layers with 400-way Adds: the rows answer clicks, and a note says why only the selected layer’s arcs are drawn', async () => {
    const { page, errors } = await visitWithAutosave(wideMergeModel());
    expect(await page.locator('.model-title').textContent()).toBe('800 layers, 400-way Adds');
    const note = page.locator('.arc-note');
    expect(await note.textContent()).toBe(
      '160,000 connections skip rows in this model, too many to draw beside the list: only the selected layer’s are drawn.',
    );
    expect(await note.getAttribute('role')).toBe('status');
    // The first layer after the input is selected on opening; its 400 readers are its arcs.
    expect(await page.locator('.skip-arcs path.arc').count()).toBe(400);

    // Rows: the input, d1 … d399, then a0 … a399.
    await scrollToRow(page, 405);
    await selectLayer(page, 'a5');
    await expect.poll(() => inspectorTitle(page)).toBe('Layer a5');
    expect(await row(page, 'a5').getAttribute('class')).toContain('selected');
    expect(await why(page)).toContain('its 400 inputs');
    expect(await row(page, 'a5').locator('[data-col="shapes"]').textContent()).toBe('8 + 8 + … (400 inputs) → 8');
    expect(await page.locator('.skip-arcs path.arc.active').count()).toBe(400);
    await screenshot(page, 'big-wide-merge-1280x800');

    await scrollToRow(page, 398);
    await selectLayer(page, 'd398');
    await expect.poll(() => inspectorTitle(page)).toBe('Layer d398');
    expect(await why(page)).toContain('8 units');
    expect(await page.locator('.skip-arcs path.arc').count()).toBe(400);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a 10,000-layer stack: every skip arc drawn, rows reached by scrolling, the keyboard and lecture mode', async () => {
    const { page, errors } = await visitWithAutosave(deepStackModel());
    expect(await page.locator('.list-header p').first().textContent()).toContain('10,000 layers');
    expect(await page.locator('.arc-note').count()).toBe(0);
    // Two arcs per block (the Add's two inputs), 1,428 blocks.
    expect(await page.locator('.skip-arcs path.arc').count()).toBe(2856);
    const box = page.locator('.stack');
    await screenshot(page, 'big-deep-stack-1280x800');

    // Tab walks on through rows that were not in the page when it started.
    const lastShown = () =>
      page.evaluate(() =>
        Math.max(...[...document.querySelectorAll<HTMLElement>('.rows > li')].map((li) => Number(li.dataset['index']))),
      );
    const before = await lastShown();
    await page.locator(`.rows > li[data-index="${before}"] .row-main`).focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => Number(document.activeElement?.closest('li')?.dataset['index']));
    expect(focused).toBeGreaterThanOrEqual(before + 19);

    // The last rows are there once scrolled to, and answer a click.
    await box.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await row(page, 'b1428_relu1').locator('.row-main').click();
    await expect.poll(() => inspectorTitle(page)).toBe('Layer b1428_relu1');
    await row(page, 'b1427_add').locator('.row-main').click();
    await expect.poll(() => inspectorTitle(page)).toBe('Layer b1427_add');
    expect(await why(page)).toContain('its 2 inputs (b1427_bn2, b1426_out)');
    expect(await page.locator('.skip-arcs path.arc.active').count()).toBe(2);

    // Alt+↑ moves a row up, as in a short list.
    await row(page, 'b1428_bn1').locator('.row-main').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect
      .poll(() =>
        page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.rows > li')].map((li) => li.dataset['row'])),
      )
      .toContain('b1428_bn1');
    const order = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.rows > li')]
        .sort((a, b) => a.offsetTop - b.offsetTop)
        .map((li) => li.dataset['row'])
        .slice(-3),
    );
    expect(order).toEqual(['b1428_bn1', 'b1428_conv1', 'b1428_relu1']);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Lecture mode steps back through the layers; the selected row stays in view in its box.
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    await page.locator('#lecture-layer').waitFor();
    await selectLayer(page, 'b1427_add');
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toContain('b1423_conv2');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const li = document.querySelector('li.layer-row.selected');
          const list = document.querySelector('.stack');
          if (!li || !list) return 'missing';
          const [r, b] = [li.getBoundingClientRect(), list.getBoundingClientRect()];
          return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 ? 'in view' : `out of view (${r.top} vs ${b.top})`;
        }),
      )
      .toBe('in view');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
