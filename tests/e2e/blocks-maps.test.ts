import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset, row } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

const figure = (page: Page) => page.locator('#figure-panel svg.figure');
const inner = (page: Page, id: string) => page.locator(`li.inner-row[data-row="${id}"]`);

async function openFigure(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

describe('layers inside ResNet blocks', () => {
  it('are selected by click: the Convolution and Channels pictures show the inner convolution with its real input', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    // stage2_block1: 16 → 32 channels, stride 2, 32×32 → 16×16.
    await row(page, 'stage2_block1').getByRole('button', { name: 'layers inside stage2_block1' }).click();
    await inner(page, 'stage2_block1/conv1').getByRole('button').click();
    await expect.poll(() => inner(page, 'stage2_block1/conv1').getAttribute('class')).toContain('selected');
    const why = await page.getByTestId('why').textContent();
    expect(why).toMatch(/^32×16×16: 32 filters, each /);
    expect(why).toContain('all 16 input channels');
    expect(why).toContain('= 16 on each axis');
    expect(await page.locator('.inspector .facts').textContent()).toContain('32×16×3×3');
    await openFigure(page, 'Convolution');
    expect(await figure(page).getAttribute('data-input-shape')).toBe('32×32');
    expect(await figure(page).getAttribute('data-input-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-output-shape')).toBe('16×16');
    expect(await page.locator('#figure-panel h3').textContent()).toContain('stage2_block1/conv1');
    expect(await page.locator('#figure-panel .figure-caption').textContent()).toContain('3×3 kernel, stride 2×2');
    await screenshot(page, 'inner-conv-convolution-1280x800');
    await openFigure(page, 'Channels');
    expect(await figure(page).getAttribute('data-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-filters')).toBe('32');
    await openFigure(page, 'Weights');
    expect(await page.locator('#figure-panel h3').textContent()).toContain('stage2_block1/conv1');
    await screenshot(page, 'inner-conv-weights-1280x800');
    // An edit elsewhere keeps the inner selection; the block's inner layers follow its fields.
    await page.getByRole('button', { name: 'Edit stage2_block1' }).click();
    await page.locator('.layer-form').getByLabel('filters', { exact: false }).first().fill('48');
    await inner(page, 'stage2_block1/conv2').getByRole('button').click();
    await openFigure(page, 'Channels');
    expect(await figure(page).getAttribute('data-channels')).toBe('48');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('are reached from the keyboard: Tab into an unfolded block, Enter selects; lecture ↓ steps through them', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    const expand = row(page, 'stage1_block1').getByRole('button', { name: 'layers inside stage1_block1' });
    await expand.focus();
    await page.keyboard.press('Enter');
    await inner(page, 'stage1_block1/conv1').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // conv1, bn1, relu1, conv2: the fourth inner layer.
    await expect.poll(() => inner(page, 'stage1_block1/conv2').getAttribute('class')).toContain('selected');
    await openFigure(page, 'Convolution');
    expect(await figure(page).getAttribute('data-input-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-output-shape')).toBe('32×32');
    // Lecture mode's ↓ walks into the unfolded block and out of it.
    await page.getByRole('button', { name: 'Lecture' }).click();
    await page.locator('.lecture-view').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toContain('stage1_block1/bn2');
    // bn2, add, relu2: then out of the block to the next one.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toMatch(/^stage1_block2 /);
    expect(errors).toEqual([]);
    await page.close();
  });
});
